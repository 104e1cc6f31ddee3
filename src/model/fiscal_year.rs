/// A Japanese fiscal year (April–March), named by the calendar year it starts in:
/// 2022 = 2022年度 = 令和4年度 = R4 = FY2022. Stored as that plain year number.
pub type FiscalYear = i32;
