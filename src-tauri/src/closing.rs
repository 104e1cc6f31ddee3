//! Nothing typed is lost when the window closes: the close is held while the page saves the
//! field being edited (`window.__dxplanBeforeClose`, which calls `close_ready` when done). A
//! page that does not answer within a few seconds does not keep the window open.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{Manager, Window, WindowEvent};

use crate::error::AppError;

/// The page has saved (or the wait is over): the next close goes through.
static CLOSE_OK: AtomicBool = AtomicBool::new(false);
/// A save before closing was asked for.
static ASKED: AtomicBool = AtomicBool::new(false);

const PAGE_TIMEOUT: Duration = Duration::from_secs(5);

const ASK_PAGE: &str = "(() => { const f = window.__dxplanBeforeClose; \
    if (typeof f === 'function') { f(); } \
    else { window.__TAURI_INTERNALS__.invoke('close_ready'); } })();";

fn close_now(window: &Window) {
    CLOSE_OK.store(true, Ordering::SeqCst);
    let _ = window.destroy();
}

/// Registered with `on_window_event`: holds the first close request of the main window.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if CLOSE_OK.load(Ordering::SeqCst) {
        return;
    }
    api.prevent_close();
    // A second close while the page is saving: the person insists.
    if ASKED.swap(true, Ordering::SeqCst) {
        close_now(window);
        return;
    }
    match window.get_webview_window(window.label()) {
        Some(w) if w.eval(ASK_PAGE).is_ok() => {
            let window = window.clone();
            std::thread::spawn(move || {
                std::thread::sleep(PAGE_TIMEOUT);
                if !CLOSE_OK.load(Ordering::SeqCst) {
                    close_now(&window);
                }
            });
        }
        _ => close_now(window),
    }
}

/// The page saved what was being typed: close the window.
#[tauri::command]
#[specta::specta]
pub async fn close_ready(window: Window) -> Result<(), AppError> {
    close_now(&window);
    Ok(())
}
