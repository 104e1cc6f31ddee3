//! Whether a plan file is on a network share (the office's 共有フォルダ on a file server, SMB;
//! or NFS). SQLite's WAL needs memory shared between the processes using the file, which
//! machines on a network do not share: a plan there is opened in rollback-journal mode
//! (`journal_mode=DELETE`) with exclusive locking instead (`store::open`).
//!
//! Detection is by the path, portably: on Windows a UNC path (`\\server\share\…`) or a drive
//! letter mapped to a network drive (`GetDriveTypeW` = `DRIVE_REMOTE`); on Linux the file
//! system type of the mount holding it (`/proc/self/mounts`: cifs, smb3, nfs …); on macOS
//! `statfs`'s `f_fstypename` (smbfs, nfs, afpfs, webdav).

use std::path::{Path, PathBuf};

/// Where a plan file lies (sets its journal mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A local disk (WAL).
    Local,
    /// A network share: rollback journal and exclusive locking, never WAL.
    Network,
}

/// File system types of network shares, as Linux names them in /proc/mounts and macOS in
/// `f_fstypename`.
const NETWORK_FS: &[&str] = &[
    "cifs",
    "smb3",
    "smbfs",
    "smb2",
    "nfs",
    "nfs4",
    "afpfs",
    "webdav",
    "davfs",
    "ncpfs",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "lustre",
];

pub fn is_network_fs(fstype: &str) -> bool {
    let t = fstype.to_ascii_lowercase();
    NETWORK_FS.contains(&t.as_str())
}

/// `\\server\share\…`, `\\?\UNC\server\share\…` or `//server/share/…`: a path on a server.
/// Device paths (`\\.\…`) and long local paths (`\\?\C:\…`) are not.
pub fn is_unc(path: &str) -> bool {
    let p = path.replace('/', "\\");
    if let Some(rest) = p.strip_prefix("\\\\?\\") {
        return rest.len() > 4 && rest[..4].eq_ignore_ascii_case("UNC\\");
    }
    match p.strip_prefix("\\\\") {
        Some(rest) => {
            let mut parts = rest.split('\\');
            let server = parts.next().unwrap_or("");
            let share = parts.next().unwrap_or("");
            !server.is_empty() && server != "." && server != "?" && !share.is_empty()
        }
        None => false,
    }
}

/// A mount point of /proc/mounts with its octal escapes (`\040` for a space) undone.
fn unescape_mount(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (b[i], octal) {
            (b'\\', Some(d)) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// (mount point, file system type) of each line of /proc/mounts or /proc/self/mounts:
/// `device mountpoint fstype options dump pass`.
pub fn parse_mounts(text: &str) -> Vec<(PathBuf, String)> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            let _device = f.next()?;
            let point = f.next()?;
            let fstype = f.next()?;
            Some((PathBuf::from(unescape_mount(point)), fstype.to_string()))
        })
        .collect()
}

/// The type of the file system holding `path`: the mount whose point is the longest prefix
/// of it (the last such line wins, as a later mount over the same point hides the earlier).
pub fn fstype_of<'m>(path: &Path, mounts: &'m [(PathBuf, String)]) -> Option<&'m str> {
    let mut best: Option<(usize, &str)> = None;
    for (point, fstype) in mounts.iter().filter(|(point, _)| path.starts_with(point)) {
        let depth = point.components().count();
        if best.is_none_or(|(d, _)| depth >= d) {
            best = Some((depth, fstype));
        }
    }
    best.map(|(_, t)| t)
}

/// The directory that decides where a file lives: the file's own folder, resolved through
/// links (a link on a local disk may point to a share), even if the file does not exist yet.
fn resolved_dir(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    if let Ok(p) = std::fs::canonicalize(&abs) {
        return p;
    }
    abs.parent()
        .and_then(|d| std::fs::canonicalize(d).ok())
        .unwrap_or(abs)
}

/// Where the plan file at `path` lives. When it cannot be told, local (the default of
/// SQLite, and of every plan so far).
pub fn detect(path: &Path) -> Location {
    let dir = resolved_dir(path);
    if is_unc(&dir.to_string_lossy()) || platform_network(&dir) {
        Location::Network
    } else {
        Location::Local
    }
}

#[cfg(windows)]
fn platform_network(dir: &Path) -> bool {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
    /// `DRIVE_REMOTE` of winbase.h: a network drive.
    const DRIVE_REMOTE: u32 = 4;
    let text = dir.to_string_lossy();
    let text = text.strip_prefix(r"\\?\").unwrap_or(&text);
    let mut chars = text.chars();
    let (Some(letter), Some(':')) = (chars.next(), chars.next()) else {
        return false;
    };
    if !letter.is_ascii_alphabetic() {
        return false;
    }
    let root: Vec<u16> = std::ffi::OsStr::new(&format!("{letter}:\\"))
        .encode_wide()
        .chain(std::iter::once(0))
        .collect();
    // SAFETY: `root` is a NUL-terminated UTF-16 string that outlives the call.
    unsafe { GetDriveTypeW(root.as_ptr()) == DRIVE_REMOTE }
}

#[cfg(target_os = "linux")]
fn platform_network(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string("/proc/self/mounts") else {
        return false;
    };
    let mounts = parse_mounts(&text);
    fstype_of(dir, &mounts).is_some_and(is_network_fs)
}

#[cfg(target_os = "macos")]
fn platform_network(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `st` is plain data that statfs fills; `c` is a NUL-terminated path.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return false;
    }
    let name: Vec<u8> = st
        .f_fstypename
        .iter()
        .take_while(|c| **c != 0)
        .map(|c| *c as u8)
        .collect();
    is_network_fs(&String::from_utf8_lossy(&name))
}

#[cfg(not(any(windows, target_os = "linux", target_os = "macos")))]
fn platform_network(_dir: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unc_paths_are_on_a_server() {
        assert!(is_unc(r"\\fileserver\共有\DX推進\計画.dxplan"));
        assert!(is_unc(r"\\?\UNC\fileserver\share\計画.dxplan"));
        assert!(is_unc("//fileserver/share/plan.dxplan"));
        assert!(!is_unc(r"C:\Users\dx\計画.dxplan"));
        assert!(!is_unc(r"\\?\C:\Users\dx\計画.dxplan"));
        assert!(!is_unc(r"\\.\PhysicalDrive0"));
        assert!(!is_unc(r"\\fileserver"));
        assert!(!is_unc("/home/dx/plan.dxplan"));
    }

    #[test]
    fn mounts_are_read_with_their_escapes() {
        let text = "\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
//fileserver/share /mnt/共有 cifs rw,vers=3.1.1,cache=strict 0 0
//fileserver/dx /mnt/dx\\040office smb3 rw 0 0
nas:/export/plans /srv/plans nfs4 rw,vers=4.2 0 0
tmpfs /srv/plans/tmp tmpfs rw 0 0
/dev/vdb /mnt/共有 ext4 rw 0 0
";
        let mounts = parse_mounts(text);
        assert_eq!(mounts.len(), 7);
        assert_eq!(mounts[3].0, PathBuf::from("/mnt/dx office"));
        let kind = |p: &str| fstype_of(Path::new(p), &mounts).unwrap_or("");
        assert_eq!(kind("/home/dx/plan.dxplan"), "ext4");
        assert_eq!(kind("/mnt/dx office/計画.dxplan"), "smb3");
        assert_eq!(kind("/srv/plans/2025/計画.dxplan"), "nfs4");
        assert_eq!(kind("/srv/plans/tmp/x"), "tmpfs");
        // A disk mounted over the share later hides it.
        assert_eq!(kind("/mnt/共有/計画.dxplan"), "ext4");
        // 「/mnt/dxfoo」 is not under 「/mnt/dx」: whole components only.
        assert_eq!(kind("/mnt/dxfoo"), "ext4");
        for t in ["cifs", "smb3", "nfs4", "SMBFS", "afpfs"] {
            assert!(is_network_fs(t), "{t}");
        }
        for t in ["ext4", "tmpfs", "btrfs", "apfs", "overlay", "NTFS"] {
            assert!(!is_network_fs(t), "{t}");
        }
    }

    #[test]
    fn a_local_temp_dir_is_local() {
        let dir = std::env::temp_dir().join("dxplan-location-test.dxplan");
        // The build machines keep their temp directories on local disks.
        if !cfg!(windows) {
            assert_eq!(detect(&dir), Location::Local);
        }
    }
}
