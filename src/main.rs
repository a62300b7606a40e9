//! The `popscope` binary: parse arguments, run, exit with the verdict.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = popscope::cli::Cli::parse();
    match popscope::app::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("popscope: error: {e:#}");
            ExitCode::from(3)
        }
    }
}
