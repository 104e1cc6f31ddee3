pub mod xlsx_edit;
