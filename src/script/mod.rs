//! Scripted POP3 dialogues: profiles (TOML, `docs/profiles.md`), a safe
//! login with diagnosis of failures, and the replay engine that judges each
//! step.
//!
//! ```text
//! # async fn demo<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
//! #     session: &mut popscope::pop3::session::Session<S>,
//! # ) -> Result<(), popscope::script::ProfileError> {
//! use popscope::script::{Credentials, Profile, ReplayOptions, replay};
//! let profile = Profile::load("basic")?;
//! profile.validate(false)?; // before connecting: DELE needs --allow-delete
//! let creds = Credentials::password("alice", "wonderland");
//! let opts = ReplayOptions { tls_active: true, tls_trusted: true, ..Default::default() };
//! let outcome = replay(session, &profile, Some(&creds), &opts).await;
//! for check in outcome.all_checks() {
//!     println!("{} {} {}", check.id, check.status, check.summary);
//! }
//! # Ok(()) }
//! ```
//!
//! Check ids produced here: `auth.login` ([`diagnose_login`]),
//! `pop3.dialogue` and `pop3.step.N` ([`replay()`]).

pub mod login;
pub mod profile;
pub mod replay;

#[cfg(test)]
mod dialogue_tests;

pub use login::Credentials;
pub use profile::Profile;
pub use replay::{DialogueOutcome, ReplayOptions, replay};
