fn main() -> std::process::ExitCode {
    escp::cli::main()
}
