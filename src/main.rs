//! The `popscope` binary: parse arguments, run, exit with the verdict.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match popscope::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; every other argument error is
            // a usage error: exit 3 (never 2, which monitoring reads as "fail").
            let code = if e.use_stderr() { 3 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match popscope::app::run(cli) {
        Ok(code) => code,
        Err(e) => popscope::app::report_error(&e),
    }
}
