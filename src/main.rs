/// The allocator: mimalloc serves the many small strings of a check faster
/// than the system allocator (BENCHMARKS.md). The library leaves the choice
/// to the program that uses it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    escp::cli::main()
}
