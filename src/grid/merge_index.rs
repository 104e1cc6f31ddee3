//! The merged regions of a sheet, indexed so that finding the region of a cell costs
//! O(log² n) instead of a walk over every region: with 400,000 regions a sheet's layout
//! recognition made billions of comparisons.
//!
//! The index is a centred interval tree over rows: each node holds the regions that cross its
//! centre row, the rest go to the side they lie on. Regions that cross one row and do not
//! overlap never share a column there, so a node's regions sorted by first column give at most
//! one candidate for a column (a binary search). The workbook reader refuses overlapping
//! regions (`merges::checked`), which this relies on; for regions that do overlap (a grid built
//! by hand) a cell may be found in any one of them.

use std::sync::OnceLock;

use super::Merge;

/// A sheet's merged regions, in file order, with their index built on first lookup.
#[derive(Debug, Clone, Default)]
pub struct Merges {
    list: Vec<Merge>,
    index: OnceLock<Index>,
}

impl From<Vec<Merge>> for Merges {
    fn from(list: Vec<Merge>) -> Self {
        Merges {
            list,
            index: OnceLock::new(),
        }
    }
}

impl std::ops::Deref for Merges {
    type Target = [Merge];
    fn deref(&self) -> &[Merge] {
        &self.list
    }
}

impl PartialEq for Merges {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Merges {
    /// The region holding cell (row, col), if any.
    pub fn find(&self, row: u32, col: u32) -> Option<Merge> {
        if self.list.is_empty() {
            return None;
        }
        let index = self.index.get_or_init(|| Index::build(&self.list));
        index.find(&self.list, row, col)
    }
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Node {
    center: u32,
    below: u32,
    above: u32,
    /// Regions crossing `center`, by first column.
    by_col: Vec<u32>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    nodes: Vec<Node>,
    root: u32,
}

impl Index {
    fn build(list: &[Merge]) -> Index {
        let mut index = Index {
            nodes: Vec::new(),
            root: NONE,
        };
        let ids: Vec<u32> = (0..list.len() as u32).collect();
        index.root = index.node(list, ids);
        index
    }

    /// The subtree of `ids`. The centre is the median first row: at most half of the regions
    /// start above it and at most half below, so the depth stays within log₂ n + 1.
    fn node(&mut self, list: &[Merge], mut ids: Vec<u32>) -> u32 {
        if ids.is_empty() {
            return NONE;
        }
        let mid = ids.len() / 2;
        ids.select_nth_unstable_by_key(mid, |&i| list[i as usize].first.0);
        let center = list[ids[mid] as usize].first.0;
        let (mut below, mut above, mut here) = (Vec::new(), Vec::new(), Vec::new());
        for i in ids {
            let m = list[i as usize];
            if m.last.0 < center {
                below.push(i);
            } else if m.first.0 > center {
                above.push(i);
            } else {
                here.push(i);
            }
        }
        here.sort_unstable_by_key(|&i| list[i as usize].first.1);
        let at = self.nodes.len() as u32;
        self.nodes.push(Node {
            center,
            below: NONE,
            above: NONE,
            by_col: here,
        });
        let below = self.node(list, below);
        let above = self.node(list, above);
        let n = &mut self.nodes[at as usize];
        n.below = below;
        n.above = above;
        at
    }

    fn find(&self, list: &[Merge], row: u32, col: u32) -> Option<Merge> {
        let mut at = self.root;
        while let Some(n) = self.nodes.get(at as usize) {
            let k = n
                .by_col
                .partition_point(|&i| list[i as usize].first.1 <= col);
            if let Some(&i) = k.checked_sub(1).and_then(|k| n.by_col.get(k)) {
                let m = list[i as usize];
                if (m.first.0..=m.last.0).contains(&row) && col <= m.last.1 {
                    return Some(m);
                }
            }
            at = match row.cmp(&n.center) {
                std::cmp::Ordering::Less => n.below,
                std::cmp::Ordering::Greater => n.above,
                std::cmp::Ordering::Equal => return None,
            };
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(r0: u32, c0: u32, r1: u32, c1: u32) -> Merge {
        Merge {
            first: (r0, c0),
            last: (r1, c1),
        }
    }

    fn linear(list: &[Merge], row: u32, col: u32) -> Option<Merge> {
        list.iter().copied().find(|m| {
            (m.first.0..=m.last.0).contains(&row) && (m.first.1..=m.last.1).contains(&col)
        })
    }

    /// Every cell of a 60 × 40 area, against a walk over the regions, for a tiling of
    /// non-overlapping regions of many shapes (tall, wide, single cells, gaps).
    #[test]
    fn finds_what_a_walk_over_the_regions_finds() {
        let mut list = Vec::new();
        let mut seed = 7u64;
        let mut next = |n: u32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % u64::from(n)) as u32
        };
        let mut taken = vec![[false; 40]; 60];
        for _ in 0..400 {
            let (r, c) = (next(60), next(40));
            let (h, w) = (1 + next(12), 1 + next(6));
            let (r1, c1) = ((r + h - 1).min(59), (c + w - 1).min(39));
            if (r..=r1).all(|y| (c..=c1).all(|x| !taken[y as usize][x as usize])) {
                for y in r..=r1 {
                    for x in c..=c1 {
                        taken[y as usize][x as usize] = true;
                    }
                }
                list.push(m(r, c, r1, c1));
            }
        }
        assert!(list.len() > 50, "{} regions", list.len());
        let merges = Merges::from(list.clone());
        let mut found = 0;
        for row in 0..62 {
            for col in 0..42 {
                let want = linear(&list, row, col);
                assert_eq!(merges.find(row, col), want, "({row}, {col})");
                found += usize::from(want.is_some());
            }
        }
        assert!(found > 500);
        assert_eq!(Merges::default().find(0, 0), None);
    }

    #[test]
    fn many_regions_stay_fast_to_build_and_search() {
        // 400,000 two-cell regions down 40,000 rows: a walk per lookup would be 10¹¹ steps.
        let list: Vec<Merge> = (0..40_000)
            .flat_map(|r| (0..10).map(move |k| m(r, 2 * k, r, 2 * k + 1)))
            .collect();
        let merges = Merges::from(list);
        for row in (0..40_000).step_by(7) {
            for col in 0..20 {
                assert_eq!(merges.find(row, col), Some(m(row, col & !1, row, col | 1)));
            }
        }
    }
}
