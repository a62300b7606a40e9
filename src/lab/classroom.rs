//! Classroom mode: one lab account per student (`etu01` ... `etuNN`), each
//! with its own copy of the sample maildrop and its own random password, a
//! scenario assigned to each student, the teacher's roster (CSV, with the
//! answer key) and the students' sheets (without it).
//!
//! Students share one port pair per scenario: their accounts differ, so no
//! student's login ever meets another's maildrop lock (`[IN-USE]`).
//!
//! Every sentence a teacher or a student reads is in the `text` block at the
//! end of this module.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::scenario::Scenario;

/// Most students one classroom lab serves.
pub const MAX_STUDENTS: usize = 200;

/// The characters of a generated password: lower-case letters and digits
/// without the ones people confuse when reading aloud or from paper
/// (`0 o 1 l i`).
pub const PASSWORD_ALPHABET: &str = "abcdefghjkmnpqrstuvwxyz23456789";

/// Length of a generated password (31 symbols, 10 characters: about 49
/// bits, plenty for a lab that lives for one lesson).
pub const PASSWORD_LEN: usize = 10;

/// Connections one client address may hold on each port, per student, in
/// classroom mode (a mail client may open a few at once); the whole class
/// may sit behind one NAT address.
pub const CONNECTIONS_PER_STUDENT: usize = 4;

/// The per-address connection limit of a class of `students`: 4 per
/// student, never below [`super::DEFAULT_MAX_PER_ADDRESS`] (the whole class
/// may share one NAT address).
pub fn max_per_address(students: usize) -> usize {
    super::DEFAULT_MAX_PER_ADDRESS.max(CONNECTIONS_PER_STUDENT * students)
}

/// The per-listener connection limit of a class of `students`: 4 per
/// student, never below [`super::DEFAULT_MAX_CONNECTIONS`].
pub fn max_connections(students: usize) -> usize {
    super::DEFAULT_MAX_CONNECTIONS.max(CONNECTIONS_PER_STUDENT * students)
}

/// One student's account and exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    /// 1-based number, as on the roster.
    pub number: usize,
    /// Login name (`etu01` ...).
    pub account: String,
    /// Generated password.
    pub password: String,
    /// The scenario this student diagnoses.
    pub scenario: Scenario,
}

/// How scenarios are handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// Drawn at random from the pool, reproducibly for one seed.
    Random(u64),
    /// The pool in order, again and again.
    RoundRobin,
    /// From an assignment file: account -> scenario; students it does not
    /// name are drawn from the pool with the seed.
    File(BTreeMap<String, Scenario>, u64),
}

/// Why a classroom could not be set up; the message says what to type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassroomError {
    /// The student count is out of range.
    #[error("{}", text::count_out_of_range(*.0))]
    Count(usize),
    /// A line of the assignment file is not `account,scenario`.
    #[error("{}", text::bad_assign_line(*.0, .1))]
    AssignLine(usize, String),
    /// The assignment file names an account the classroom does not have.
    #[error("{}", text::unknown_account(.0, *.1))]
    UnknownAccount(String, usize),
    /// The operating system's random generator failed.
    #[error("{}", text::no_random())]
    Random,
}

/// The login name of student `number` (1-based) in a class of `count`:
/// `etu` and the number on two digits (`etu01` ... `etu99`), on three when
/// the class has more than 99 students (`etu001` ... `etu200`).
pub fn account_name(number: usize, count: usize) -> String {
    let width = if count > 99 { 3 } else { 2 };
    format!("etu{number:0width$}")
}

/// A fresh password: [`PASSWORD_LEN`] characters of [`PASSWORD_ALPHABET`]
/// from the operating system's CSPRNG (through aws-lc-rs).
pub fn generate_password() -> Result<String, ClassroomError> {
    let alphabet = PASSWORD_ALPHABET.as_bytes();
    let rng = rustls::crypto::aws_lc_rs::default_provider().secure_random;
    let mut out = String::with_capacity(PASSWORD_LEN);
    // Rejection sampling: no bias towards the first symbols.
    let limit = 256 - 256 % alphabet.len();
    while out.len() < PASSWORD_LEN {
        let mut buf = [0u8; 32];
        rng.fill(&mut buf).map_err(|_| ClassroomError::Random)?;
        for b in buf {
            if usize::from(b) < limit && out.len() < PASSWORD_LEN {
                out.push(char::from(alphabet[usize::from(b) % alphabet.len()]));
            }
        }
    }
    Ok(out)
}

/// A seed from the operating system's CSPRNG, for `--seed` left out.
pub fn random_seed() -> Result<u64, ClassroomError> {
    let rng = rustls::crypto::aws_lc_rs::default_provider().secure_random;
    let mut buf = [0u8; 8];
    rng.fill(&mut buf).map_err(|_| ClassroomError::Random)?;
    Ok(u64::from_le_bytes(buf))
}

/// SplitMix64: a small reproducible generator for the scenario draw only
/// (never for passwords).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // n <= 20 scenarios: the modulo bias is negligible for a class.
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `count` students (1 to [`MAX_STUDENTS`]) with generated passwords and
/// scenarios from `pool` (empty: every scenario) handed out per `how`.
pub fn students(
    count: usize,
    pool: &[Scenario],
    how: &Assignment,
) -> Result<Vec<Student>, ClassroomError> {
    if count == 0 || count > MAX_STUDENTS {
        return Err(ClassroomError::Count(count));
    }
    let pool: Vec<Scenario> = if pool.is_empty() {
        Scenario::all().to_vec()
    } else {
        pool.to_vec()
    };
    let accounts: Vec<String> = (1..=count).map(|i| account_name(i, count)).collect();
    if let Assignment::File(map, _) = how
        && let Some(unknown) = map.keys().find(|k| !accounts.contains(k))
    {
        return Err(ClassroomError::UnknownAccount(unknown.clone(), count));
    }
    let seed = match how {
        Assignment::Random(s) | Assignment::File(_, s) => *s,
        Assignment::RoundRobin => 0,
    };
    let mut rng = SplitMix(seed);
    let mut out = Vec::with_capacity(count);
    for (i, account) in accounts.into_iter().enumerate() {
        let drawn = pool[rng.below(pool.len())];
        let scenario = match how {
            Assignment::Random(_) => drawn,
            Assignment::RoundRobin => pool[i % pool.len()],
            Assignment::File(map, _) => map.get(&account).copied().unwrap_or(drawn),
        };
        out.push(Student {
            number: i + 1,
            account,
            password: generate_password()?,
            scenario,
        });
    }
    Ok(out)
}

/// Parses an assignment file: one `account,scenario` per line (a space or
/// tab works too); blank lines and lines starting with `#` are ignored.
pub fn parse_assignment(content: &str) -> Result<BTreeMap<String, Scenario>, ClassroomError> {
    let mut map = BTreeMap::new();
    for (n, raw) in content.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line
            .split([',', ' ', '\t', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let bad =
            || ClassroomError::AssignLine(n + 1, crate::transcript::sanitize(line.as_bytes()));
        let (Some(account), Some(scenario), None) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let scenario: Scenario = scenario.parse().map_err(|_| bad())?;
        map.insert(account.to_ascii_lowercase(), scenario);
    }
    Ok(map)
}

/// Where a student connects: the host to type and the two ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    /// Host name or address the students type.
    pub host: String,
    /// Plain port (POP3 + STLS).
    pub plain_port: u16,
    /// Implicit-TLS port.
    pub tls_port: u16,
}

/// The teacher's roster, CSV with a header line: `student, account,
/// password, host, plain_port, tls_port, scenario, expected_check` (the
/// answer key: the check id the scenario should fail, or `none`).
pub fn roster_csv(rows: &[(Student, Seat)]) -> String {
    let mut s =
        String::from("student,account,password,host,plain_port,tls_port,scenario,expected_check\n");
    for (st, seat) in rows {
        let expected = st
            .scenario
            .expected_check()
            .map_or_else(|| "none".to_string(), |id| id.to_string());
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{}",
            st.number,
            csv(&st.account),
            csv(&st.password),
            csv(&seat.host),
            seat.plain_port,
            seat.tls_port,
            st.scenario.name(),
            expected
        );
    }
    s
}

fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// One student's sheet (Markdown): account, password, host, ports, the CA
/// file and the exercise, without the scenario or the expected answer.
pub fn sheet(st: &Student, seat: &Seat, ca_file_name: &str) -> String {
    text::sheet(st, seat, ca_file_name)
}

/// Every human-readable sentence of classroom mode (messages in `lab.ftl`,
/// current language).
mod text {
    use super::{MAX_STUDENTS, Seat, Student};
    use crate::i18n::t;

    pub(super) fn no_random() -> String {
        t!("lab-classroom-no-random")
    }

    pub(super) fn count_out_of_range(n: usize) -> String {
        t!(
            "lab-classroom-count",
            max = MAX_STUDENTS.to_string(),
            count = n.to_string()
        )
    }

    pub(super) fn bad_assign_line(line: usize, text: &str) -> String {
        t!(
            "lab-classroom-bad-line",
            line = line.to_string(),
            text = text
        )
    }

    pub(super) fn unknown_account(account: &str, count: usize) -> String {
        t!(
            "lab-classroom-unknown-account",
            account = account,
            count = count.to_string(),
            first = super::account_name(1, count),
            last = super::account_name(count, count)
        )
    }

    /// The sheet: the Markdown structure is here, the words in `lab.ftl`.
    pub(super) fn sheet(st: &Student, seat: &Seat, ca: &str) -> String {
        let Seat {
            host,
            plain_port,
            tls_port,
        } = seat;
        let account = &st.account;
        let password = &st.password;
        let title = t!("lab-sheet-title");
        let row = |label: &str, value: &dyn std::fmt::Display| format!("| {label} | `{value}` |\n");
        let mut s = format!("# {title}\n\n| | |\n|---|---|\n");
        s.push_str(&row(&t!("lab-sheet-account"), account));
        s.push_str(&row(&t!("lab-sheet-password"), password));
        s.push_str(&row(&t!("lab-sheet-server"), host));
        s.push_str(&row(&t!("lab-sheet-plain-port"), plain_port));
        s.push_str(&row(&t!("lab-sheet-tls-port"), tls_port));
        s.push_str(&format!(
            "| {} | `{ca}` {} |\n\n",
            t!("lab-sheet-ca"),
            t!("lab-sheet-ca-note")
        ));
        s.push_str(&format!(
            "{}\n\n## {}\n\n{}\n\n",
            t!("lab-sheet-yours"),
            t!("lab-sheet-exercise"),
            t!("lab-sheet-intro")
        ));
        s.push_str(&format!(
            "1. {}\n\n       popscope check {host} --plain-port {plain_port} --tls-port {tls_port} \
             --ca-file {ca} --user {account}\n\n   {}\n",
            t!("lab-sheet-diagnose"),
            t!("lab-sheet-diagnose-hint")
        ));
        let client = t!(
            "lab-sheet-client",
            ca = ca,
            account = account,
            host = host,
            port = tls_port.to_string()
        );
        s.push_str(&format!(
            "2. {client}\n3. {}\n4. {}\n",
            t!("lab-sheet-write"),
            t!("lab-sheet-read")
        ));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English sheet as it was before the sheet's words moved to
    /// `lab.ftl`: the English output must not change.
    fn english_sheet_reference(st: &Student, seat: &Seat, ca: &str) -> String {
        let Seat {
            host,
            plain_port,
            tls_port,
        } = seat;
        let account = &st.account;
        let password = &st.password;
        format!(
            "# POP3 lab: your exercise\n\
             \n\
             | | |\n\
             |---|---|\n\
             | Account | `{account}` |\n\
             | Password | `{password}` |\n\
             | Server | `{host}` |\n\
             | Plain port (POP3, STLS) | `{plain_port}` |\n\
             | TLS port (POP3S) | `{tls_port}` |\n\
             | CA certificate | `{ca}` (your teacher gives you this file) |\n\
             \n\
             This account is yours alone: nobody else logs in with it, and its mailbox holds \
             four sample messages.\n\
             \n\
             ## Exercise\n\
             \n\
             The mail service on these two ports may have a fault, or it may work perfectly. \
             Find out which, as a help desk would.\n\
             \n\
             1. Diagnose it:\n\
             \n\
             \x20      popscope check {host} --plain-port {plain_port} --tls-port {tls_port} \
             --ca-file {ca} --user {account}\n\
             \n\
             \x20  (type the password when asked; add `--transcript-only` to read the dialogue).\n\
             2. Try it with a real client too: `curl --cacert {ca} --user {account} \
             pop3s://{host}:{tls_port}/` or a mail program set to the server and ports above.\n\
             3. Write down: which check fails, if any; what a user of a mail program would \
             notice; who must fix it (the user, the server's administrator or nobody) and how.\n\
             4. Read the whole transcript once: which line shows the problem, and what does it \
             mean?\n"
        )
    }

    #[test]
    fn account_names_are_padded_to_the_class_size() {
        assert_eq!(account_name(1, 30), "etu01");
        assert_eq!(account_name(30, 30), "etu30");
        assert_eq!(account_name(7, 200), "etu007");
        assert_eq!(account_name(200, 200), "etu200");
    }

    #[test]
    fn passwords_use_the_unambiguous_alphabet() {
        for _ in 0..50 {
            let p = generate_password().unwrap();
            assert_eq!(p.len(), PASSWORD_LEN);
            assert!(p.chars().all(|c| PASSWORD_ALPHABET.contains(c)), "{p}");
        }
        for c in ['0', 'o', '1', 'l', 'i', 'I', 'O'] {
            assert!(!PASSWORD_ALPHABET.contains(c));
        }
    }

    #[test]
    fn students_are_unique_and_bounded() {
        let class = students(200, &[], &Assignment::Random(1)).unwrap();
        let accounts: std::collections::BTreeSet<_> = class.iter().map(|s| &s.account).collect();
        let passwords: std::collections::BTreeSet<_> = class.iter().map(|s| &s.password).collect();
        assert_eq!(accounts.len(), 200);
        assert_eq!(passwords.len(), 200);
        assert_eq!(class[199].number, 200);
        assert!(matches!(
            students(0, &[], &Assignment::RoundRobin),
            Err(ClassroomError::Count(0))
        ));
        let too_many = students(201, &[], &Assignment::RoundRobin).unwrap_err();
        assert!(too_many.to_string().contains("1 to 200"), "{too_many}");
    }

    #[test]
    fn the_seed_makes_the_draw_reproducible() {
        let scen = |seed| -> Vec<Scenario> {
            students(30, &[], &Assignment::Random(seed))
                .unwrap()
                .into_iter()
                .map(|s| s.scenario)
                .collect()
        };
        assert_eq!(scen(42), scen(42));
        assert_ne!(scen(42), scen(43));
        let distinct: std::collections::BTreeSet<_> = scen(42).into_iter().collect();
        assert!(distinct.len() > 5, "a random draw over 20 scenarios varies");
    }

    #[test]
    fn round_robin_and_file_assignment() {
        let pool = [Scenario::Healthy, Scenario::ExpiredCert];
        let rr = students(5, &pool, &Assignment::RoundRobin).unwrap();
        let got: Vec<_> = rr.iter().map(|s| s.scenario).collect();
        assert_eq!(
            got,
            [
                Scenario::Healthy,
                Scenario::ExpiredCert,
                Scenario::Healthy,
                Scenario::ExpiredCert,
                Scenario::Healthy
            ]
        );
        let map = parse_assignment("# key\netu02, no-stls\n\nETU03\tweak-key\n").unwrap();
        let class = students(3, &[Scenario::Healthy], &Assignment::File(map.clone(), 9)).unwrap();
        assert_eq!(class[0].scenario, Scenario::Healthy);
        assert_eq!(class[1].scenario, Scenario::NoStls);
        assert_eq!(class[2].scenario, Scenario::WeakKey);
        let err = students(1, &[], &Assignment::File(map, 9)).unwrap_err();
        assert!(err.to_string().contains("etu02"), "{err}");
        let bad = parse_assignment("etu01 nonsense").unwrap_err();
        assert!(bad.to_string().contains("line 1"), "{bad}");
        assert!(parse_assignment("etu01").is_err());
    }

    #[test]
    fn roster_has_the_answer_key_and_sheets_do_not() {
        let class = students(20, &[], &Assignment::RoundRobin).unwrap();
        let rows: Vec<_> = class
            .iter()
            .map(|s| {
                (
                    s.clone(),
                    Seat {
                        host: "lab.school.test".into(),
                        plain_port: 40000,
                        tls_port: 40001,
                    },
                )
            })
            .collect();
        let roster = roster_csv(&rows);
        let lines: Vec<_> = roster.lines().collect();
        assert_eq!(lines.len(), 21);
        assert_eq!(
            lines[0],
            "student,account,password,host,plain_port,tls_port,scenario,expected_check"
        );
        assert!(lines[1].starts_with(&format!(
            "1,etu01,{},lab.school.test,40000,40001,healthy,none",
            class[0].password
        )));
        assert!(
            lines[2].ends_with(",expired-cert,tls.expiry"),
            "{}",
            lines[2]
        );
        for (st, seat) in &rows {
            let sheet = sheet(st, seat, "popscope-lab-ca.pem");
            assert!(sheet.contains(&st.account) && sheet.contains(&st.password));
            assert!(sheet.contains("40000") && sheet.contains("lab.school.test"));
            for name in Scenario::names() {
                assert!(!sheet.contains(name), "sheet names the scenario {name}");
            }
            for sc in Scenario::all() {
                if let Some(id) = sc.expected_check() {
                    assert!(!sheet.contains(&id.to_string()), "sheet names {id}");
                }
            }
        }
    }

    fn seat() -> Seat {
        Seat {
            host: "lab.school.test".into(),
            plain_port: 40000,
            tls_port: 40001,
        }
    }

    #[test]
    fn the_english_sheet_is_unchanged() {
        let class = students(2, &[], &Assignment::RoundRobin).unwrap();
        for st in &class {
            let got = crate::i18n::scoped(crate::i18n::Lang::En, || sheet(st, &seat(), "ca.pem"));
            assert_eq!(got, english_sheet_reference(st, &seat(), "ca.pem"));
        }
    }

    #[test]
    fn a_french_student_sheet() {
        use crate::i18n::{Lang, scoped, testing::english_word};
        let class = students(1, &[Scenario::ExpiredCert], &Assignment::RoundRobin).unwrap();
        let st = &class[0];
        let fr = scoped(Lang::Fr, || sheet(st, &seat(), "popscope-lab-ca.pem"));
        assert!(
            fr.starts_with("# TP POP3\u{a0}: votre exercice\n\n| | |\n|---|---|\n"),
            "{fr}"
        );
        assert!(
            fr.contains(&format!("| Mot de passe | `{}` |\n", st.password)),
            "{fr}"
        );
        assert!(fr.contains("| Port TLS (POP3S) | `40001` |\n"), "{fr}");
        assert!(fr.contains("\n## Exercice\n"), "{fr}");
        assert!(fr.contains(
            "\n       popscope check lab.school.test --plain-port 40000 --tls-port 40001 \
             --ca-file popscope-lab-ca.pem --user etu01\n"
        ));
        assert!(fr.contains("pop3s://lab.school.test:40001/"), "{fr}");
        assert!(!fr.contains("lab-sheet"), "{fr}");
        assert!(
            !fr.contains("expired-cert") && !fr.contains("tls.expiry"),
            "{fr}"
        );
        // `popscope check` is the command, not prose.
        assert_eq!(english_word(&fr, &["check"]), None, "{fr}");
        let err = scoped(Lang::Fr, || {
            parse_assignment("etu01 nonsense").unwrap_err().to_string()
        });
        assert!(
            err.starts_with("la ligne 1 du fichier d’affectation est «\u{a0}etu01 nonsense\u{a0}»"),
            "{err}"
        );
        assert_eq!(english_word(&err, &[]), None, "{err}");
        let err = scoped(Lang::Fr, || ClassroomError::Count(0).to_string());
        assert_eq!(english_word(&err, &[]), None, "{err}");
        let err = scoped(Lang::Fr, || {
            ClassroomError::UnknownAccount("x".into(), 3).to_string()
        });
        assert!(err.contains("etu01 à etu03"), "{err}");
        assert_eq!(english_word(&err, &[]), None, "{err}");
    }
}
