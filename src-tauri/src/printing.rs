//! 「印刷」 of the project sheet and of the 報告書: the webview's own print dialog (A4, the
//! page's print style shows the sheet, or the report's pages, alone). Nothing is written.
//!
//! Debug builds only: `DXPLAN_TEST_PRINT=/path/file` stands in for the native print dialog
//! (WebDriver cannot drive it): each request adds a line 「print」 to that file.

use tauri::WebviewWindow;

use crate::error::AppError;

#[tauri::command]
#[specta::specta]
pub async fn print_page(window: WebviewWindow) -> Result<(), AppError> {
    if let Some(file) = crate::debug_env("DXPLAN_TEST_PRINT") {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)?;
        writeln!(f, "print")?;
        return Ok(());
    }
    window
        .print()
        .map_err(|e| AppError::new("io", format!("印刷を始められません: {e}")))
}
