fn main() -> std::process::ExitCode {
    dxplan::cli::main()
}
