//! 「印刷」 of the project sheet on macOS, whose WKWebView ignores `window.print()` (the UI calls
//! that elsewhere, `ui/src/lib/print.ts`): the webview's own print dialog (A4, the page's print
//! style shows the sheet alone). Nothing is written.

use tauri::WebviewWindow;

use crate::error::AppError;

#[tauri::command]
#[specta::specta]
pub async fn print_page(window: WebviewWindow) -> Result<(), AppError> {
    window.print().map_err(|e| {
        AppError::new(
            dxplan::workspace::ErrorCode::Io,
            format!("印刷を始められません: {e}"),
        )
    })
}
