// Every app command, for tauri-build's app manifest (one `allow-<name>` permission each, granted
// in capabilities/main.json). Included by build.rs and checked against the registered commands
// by a test in lib.rs, so the three lists cannot drift apart.
pub const COMMANDS: &[&str] = &[
    "start",
    "open_plan",
    "reset_sample",
    "plan_tree",
    "get_project",
    "save_project",
    "create_project",
    "add_org_unit",
    "parse_value",
    "parse_money",
    "history",
    "dashboard",
    "lints",
    "pick_files",
    "pick_save_path",
    "import_preview",
    "import_apply",
    "ui_ready",
    "app_info",
];
