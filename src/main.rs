//! The `popscope` binary: everything happens in the library's edge
//! (`popscope::main`: parse arguments, run, exit with the verdict).

fn main() -> std::process::ExitCode {
    popscope::main()
}
