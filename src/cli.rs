//! The command line, declared with clap's derive API.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// An IT directorate's work as plain text in git: requests, projects, permission
/// grants and inventory, checked against the directive.
#[derive(Debug, Parser)]
#[command(name = "defter", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// The records repository (default: the nearest folder upwards holding `defter.toml`
    /// or `records/`).
    #[arg(long, global = true, value_name = "DIR")]
    pub repo: Option<PathBuf>,

    /// Print only results and errors: no progress, notes or hints on stderr.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also say on stderr what is being done and how long it took.
    #[arg(long, short, global = true)]
    pub verbose: bool,

    /// The language of what defter prints: findings, notes, errors, reports, prompts
    /// (default: Turkish when defter.toml's `[site] language` is "tr" or the locale —
    /// LC_ALL, LC_MESSAGES, LANG — is Turkish, else English). `--help` stays in English.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    #[command(subcommand)]
    pub command: Command,
}

/// `--lang`'s values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Türkçe.
    Tr,
    /// English.
    En,
}

const EXAMPLES: &str = "Examples:
  defter validate                          check every record, as of today
  defter validate --as-of 2026-11-30       reproducible: the time rules use that date
  defter validate --format github          annotations for a pull request
  defter validate --base origin/main       also check the changes since main
  defter log TLP-2026-0042                 a record's story from git
  defter build --as-of 2026-11-30          the intranet site, into ./site
  defter build --at 2026-03-31 --out eski  the site as it was on that day
  defter access --on 2026-03-01            who had access on that day
  defter explain separation-of-duties      what a rule checks, and why
  defter init kayitlar                     start a new records repository
  defter new request --title \"Rapor ekranı\" --unit zabita-dairesi --type change
  defter report open-requests              open requests by service and status
  defter codeowners --check                is CODEOWNERS in step with the organisation?";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every record against the schemas and the directive's workflow rules.
    #[command(after_help = VALIDATE_HELP)]
    Validate(ValidateArgs),
    /// Build the intranet site from the records (validates first; findings are shown on the site).
    Build(BuildArgs),
    /// Build the site, serve it on localhost and rebuild it (reloading open pages) when
    /// a record, schema, template or defter.toml changes.
    Serve(ServeArgs),
    /// Show a record's history from git: who changed what, when, in which commit.
    #[command(after_help = LOG_EXAMPLES)]
    Log(LogArgs),
    /// Explain a rule: what it checks and the article of the directive it enforces; or,
    /// with --articles, every article of the directive and what in defter carries it.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain {
        /// The rule id (omit to list every rule).
        rule: Option<String>,
        /// Every article, paragraph and item of the directive with its text and what
        /// carries it (kind, field, state, transition, rule, report), or why nothing
        /// does; ends with how many items with a consequence are carried. Exits 1 when a
        /// citation names no place of the directive.
        #[arg(long, conflicts_with = "rule")]
        articles: bool,
    },
    /// Create a new records repository: configuration, schemas, a small organisation, one
    /// record of each kind, CI workflows, a pull-request template and CODEOWNERS.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Create a record from its kind's template, with the next free id, valid from the start.
    #[command(after_help = NEW_EXAMPLES)]
    New(Box<NewArgs>),
    /// Take a step of the procedure on a record (assign, start, close, approve, freeze,
    /// review…): sets the state and the fields it requires, appends the history entry,
    /// checks the result with every rule and writes it, or refuses and says why.
    #[command(after_help = STEP_EXAMPLES)]
    Step(Box<StepArgs>),
    /// Access review campaigns: `review start` opens one for a scope (a system, a unit,
    /// every grant, every administrator account), listing each access in force with its
    /// holder, its reviewer and what changed since the scope's last closed campaign.
    #[command(after_help = REVIEW_EXAMPLES)]
    Review(ReviewArgs),
    /// Print a report: open requests, workload, reviews due, expiring items, monthly KPIs.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Who had access on a date: every grant, account, repository access and web-service
    /// client in force, as recorded at the time and as known now, and where they differ.
    #[command(after_help = ACCESS_EXAMPLES)]
    Access(AccessArgs),
    /// E-mail each person a digest of what waits for them: requests overdue or due soon,
    /// tests, reviews and end dates coming due, findings in their records. What was sent
    /// is remembered, so a rerun sends nothing twice.
    #[command(after_help = NOTIFY_EXAMPLES)]
    Notify(NotifyArgs),
    /// Write CODEOWNERS from the organisation data (who reviews changes to which folder).
    #[command(after_help = CODEOWNERS_EXAMPLES)]
    Codeowners(CodeownersArgs),
    /// Take a request filed on the forge's issue form in: read the `issues` event (opened),
    /// write the request (state `new`) on a new branch `talep/<id>` with a commit, and
    /// print its id; a form that does not validate gets a comment saying what to fix.
    #[command(after_help = INTAKE_EXAMPLES)]
    Intake(IntakeArgs),
    /// Serve an editor over stdio (Language Server Protocol): the findings of every rule
    /// as you type, completion of ids and values, a field's description on hover.
    #[command(after_help = "Editors start it themselves; docs/editors.md shows how (VS Code, Neovim, Helix).")]
    Lsp(LspArgs),
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  defter completions bash > ~/.local/share/bash-completion/completions/defter
  defter completions zsh > ~/.zfunc/_defter
  defter completions fish > ~/.config/fish/completions/defter.fish
  defter completions powershell >> $PROFILE")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder.
    #[command(after_help = "Examples:
  defter man | man -l -
  defter man --out /usr/local/share/man/man1")]
    Man {
        /// Write defter.1 and defter-<command>.1 into this folder instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

const REVIEW_EXAMPLES: &str = "Examples:
  defter review start --scope app-intranet --due 2026-12-31     a system (application or server)
  defter review start --scope unit:yazilim-destek-servisi       the access of a unit's people
  defter review start --scope all-grants                        every grant in force (tüm-yetkiler)
  defter review start --scope admin-accounts                    every administrator account (yönetici-hesapları)
  defter step EGK-2026-0001 decide --item YTK-2026-0007 --result keep     (karar-ver; sürdür)
  defter step EGK-2026-0001 decide --item YTK-2026-0003 --result revoke --reason \"Görev değişikliği\"
      a revoke decision revokes the grant in the same write; the last decision closes the campaign

Exit status: 0 done, 1 refused (nothing written), 2 defter could not run.";

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Open a campaign record (records/campaigns/<year>/EGK-<year>-<nnnn>.yaml) pinned to
    /// the current commit.
    Start(ReviewStartArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReviewStartArgs {
    /// What is reviewed: a system (`app-…`, `srv-…`, or `system:ID`), a unit (`unit:ID`,
    /// or its id), `all-grants` (`tüm-yetkiler`) or `admin-accounts` (`yönetici-hesapları`).
    #[arg(long, value_name = "SCOPE")]
    pub scope: String,

    /// When every item must be decided, as YYYY-MM-DD (default: 30 days after the start).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub due: Option<jiff::civil::Date>,

    /// The campaign's title (default: made from the scope).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// The start date, as YYYY-MM-DD (default today).
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today())]
    pub as_of: jiff::civil::Date,

    /// Who opens it (a person id); default: the person whose `git_emails` hold git's
    /// user.email.
    #[arg(long, value_name = "PERSON")]
    pub by: Option<String>,
}

const STEP_EXAMPLES: &str = "Examples:
  defter step TLP-2026-0042                         what you may do next, and what each step needs
  defter step TLP-2026-0042 assign --to elif.kara   (Turkish: ata)
  defter step TLP-2026-0042 start                   (başlat)
  defter step TLP-2026-0042 send-to-test --note \"1.2 test ortamında\"   (teste-gönder)
  defter step TLP-2026-0042 close --summary \"Rapor düzeltildi\"          (kapat)
  defter step TLP-2026-0042 reject --reason \"Mevzuata aykırı\" --letter-number E-1-2 --letter-date 2026-03-02
  defter step YTK-2026-0011 freeze --reason \"Uzun süreli izin\"         (dondur)
  defter step YTK-2026-0001 YTK-2026-0007 review --result keep         several records, all or nothing
  defter step EGK-2026-0001 decide --item YTK-2026-0007 --result keep  a campaign's decision (karar-ver)
  defter step TLP-2026-0042 assign --to elif.kara --commit             and commit it as you

Exit status: 0 done (or listed), 1 refused (nothing written), 2 defter could not run.";

#[derive(Debug, clap::Args)]
pub struct StepArgs {
    /// The record ids, then the action (its name in workflows.yaml, with `-` for `_`, or
    /// its Turkish name); without an action, lists what may be done next to the record.
    #[arg(value_name = "ID… [ACTION]", required = true)]
    pub words: Vec<String>,

    /// The assignee (`assign`, `reassign`).
    #[arg(long, value_name = "PERSON")]
    pub to: Option<String>,

    /// Who tested the work (`close`; default: you).
    #[arg(long, value_name = "PERSON")]
    pub tested_by: Option<String>,

    /// The number of the letter a rejection is sent with.
    #[arg(long, value_name = "NUMBER")]
    pub letter_number: Option<String>,

    /// The date of the letter a rejection is sent with, as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub letter_date: Option<String>,

    /// The summary of a resolution (`close`).
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,

    /// The reason of a rejection, cancellation, freeze or revocation.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// The result of a test or review (`pass`, `fail`; `keep`, `reduce`, `revoke`).
    #[arg(long, value_name = "VALUE")]
    pub result: Option<String>,

    /// The campaign item a decision is about (`decide`): a grant, account or
    /// web-service client id, or `REPOSITORY:PERSON` for a repository access.
    #[arg(long, value_name = "ITEM")]
    pub item: Option<String>,

    /// Any other field, as FIELD=VALUE with VALUE written as YAML (dotted for a field
    /// inside another: `instruction.number=\"YTF-1\"`); for a new list entry (a test, a
    /// deployment) a field of the entry; repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = parse_step_set)]
    pub set: Vec<(String, String)>,

    /// The note of the history entry.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// The step's date (history, resolution…), as YYYY-MM-DD (default today).
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today())]
    pub as_of: jiff::civil::Date,

    /// Who takes the step (a person id); default: the person whose `git_emails` hold
    /// git's user.email.
    #[arg(long, value_name = "PERSON")]
    pub by: Option<String>,

    /// Commit just this change, with a message like `TLP-2026-0042: atandı → elif.kara`
    /// (refused when other changes are staged).
    #[arg(long)]
    pub commit: bool,

    /// Create this branch and switch to it first (with --commit).
    #[arg(long, value_name = "NAME", requires = "commit")]
    pub branch: Option<String>,

    /// Never ask: without an action, list the next steps even on a terminal (without a
    /// terminal it never asks anyway).
    #[arg(long, visible_alias = "no-input")]
    pub yes: bool,
}

fn parse_step_set(text: &str) -> Result<(String, String), String> {
    let (field, value) = text.split_once('=').ok_or_else(|| format!("`{text}` is not FIELD=VALUE"))?;
    let field = field.trim();
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !field.split('.').all(word) {
        return Err(format!("`{field}` is not a field name (lower-case letters, digits and _, dotted)"));
    }
    Ok((field.to_string(), value.trim().to_string()))
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The date the time rules use (expiry, reviews, deadlines), as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today())]
    pub as_of: jiff::civil::Date,

    /// How findings are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Also compare with this revision (branch, tag or commit; in CI the pull request's
    /// merge base): state changes, immutable fields, deleted records, rewritten history,
    /// commit authors, and the rules in force at the base.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// Check this revision instead of the working tree (with --base).
    #[arg(long, value_name = "REV", requires = "base")]
    pub head: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// The date the time rules use, as YYYY-MM-DD (default: today, read at each check).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Where the site is written (replaced as a whole when the build succeeds).
    #[arg(long, value_name = "DIR", default_value = "site")]
    pub out: std::path::PathBuf,

    /// The date the site is built as of (time rules, calendar, "today"); default today,
    /// or with --at the day of that commit.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,

    /// Build the site as it was at a past commit — a revision (branch, tag, commit,
    /// `HEAD~3`) or a day (YYYY-MM-DD: the last commit on the first-parent line by the end
    /// of it) — from that commit's records, schemas, workflows.yaml and defter.toml,
    /// checked out into a temporary folder: the working tree is not touched.
    #[arg(long, value_name = "REV|DATE")]
    pub at: Option<String>,

    /// Absolute URL the site is served from, for feeds and calendar links (default:
    /// `[site] base_url` in defter.toml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Leave personal data off every page, export and feed (e-mail addresses, phone
    /// numbers, git identities), for readers beyond the directorate's staff. Also set by
    /// `[site] personal_data = false`.
    #[arg(long)]
    pub public: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1.
    #[arg(long, default_value_t = 3000)]
    pub port: u16,

    /// The date the site is built as of; default today, or with --at the day of that commit.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,

    /// Serve the site as it was at a past commit (a revision or a day, as `build --at`).
    #[arg(long, value_name = "REV|DATE")]
    pub at: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The record's id (`TLP-2026-0042`, `ayse.yilmaz`, `PRJ-0003`…).
    pub id: String,

    /// Read the history up to this revision.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub rev: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line and a caret.
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub / Gitea Actions workflow commands (inline pull-request annotations).
    Github,
}

/// Today in the machine's time zone.
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

const VALIDATE_HELP: &str = "Examples:
  defter validate                          every record, as of today
  defter validate --as-of 2026-11-30       reproducible: the time rules use that date
  defter validate --format json            one JSON document, for tools
  defter validate --base origin/main       also check the changes since main (needs git history)

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 defter could not run.";

const LOG_EXAMPLES: &str = "Examples:
  defter log TLP-2026-0042                 every commit that touched the request
  defter log ayse.yilmaz --rev origin/main a person's record, up to main";

const EXPLAIN_EXAMPLES: &str = "Examples:
  defter explain                           every rule, its severity and what it catches
  defter explain separation-of-duties      what it checks, the article, a bad and a fixed example
  defter explain --articles                the directive item by item, and what carries each";

const INIT_EXAMPLES: &str = "Examples:
  defter init kayitlar                     a new repository in ./kayitlar
  defter init                              here (refuses to overwrite any file)
  defter init --templates                  also copy the site templates, to edit them

Then: cd kayitlar && git init && defter validate";

const NEW_EXAMPLES: &str = "Examples:
  defter new request --title \"Denetim raporu ekranı\" --unit zabita-dairesi --type change
  defter new request --title \"Ruhsat sorgusu hatası\" --unit imar-dairesi --type defect \\
      --source official_letter --letter-number E-123-456 --letter-date 2026-03-02
  defter new grant --grantee mehmet.demir --system app-bbys-zabita --role \"Rapor okuma\"
  defter new project --title \"Saha denetim uygulaması\" --kind mobile --owner-unit zabita-dairesi

  defter new person --name \"Ayşe Yılmaz\" --unit yazilim-destek-servisi --role staff \\
      --email ayse.yilmaz@ornek.bel.tr
  defter new unit --name \"Zabıta Dairesi Başkanlığı\" --type department --parent belediye
  defter new section --project PRJ-0001 --title \"Test planı\" --section test
  defter new server --name \"Uygulama sunucusu 2\" --set hostname=app02.ornek.local \\
      --set \"os=Windows Server 2022\" --set environment=production
  defter new certificate --name \"zabita.ornek.bel.tr\" --set common_name=zabita.ornek.bel.tr \\
      --set \"sans=[zabita.ornek.bel.tr]\" --set issuer=TÜRKTRUST --set not_before=2026-01-01 \\
      --set not_after=2027-01-01 --set \"used_by=[web-zabita]\"
  defter new incident --title \"Şüpheli oturum açma\" --set \"systems=[app-bbys-zabita]\"
  defter new vulnerability --title \"Eski TLS sürümü\" --set system=web-e-belediye \\
      --set severity=high --set \"test={name: 2026 sızma testi}\"

Requests, grants, projects, incidents, vulnerabilities, audits, trainings, procurements,
maintenance and committee decisions take the next free number; other records take --id,
or an id made from --name or --title (`ayse.yilmaz`, `zabita-dairesi-baskanligi`, `srv-uygulama-sunucusu-2`).
Any other top-level field is given with --set FIELD=VALUE (VALUE is YAML: `3`, `true`,
`[a, b]`); `new` says which required fields are still missing. The author is the person
whose `git_emails` hold git's user.email (or --by). The record is checked before it is
written; the path is printed.";

const NOTIFY_EXAMPLES: &str = "Examples:
  defter notify --dry-run                  print the digests that would be sent today
  defter notify --dry-run --to ayse.yilmaz one person's digest
  defter notify                            send them ([notify] in defter.toml; the password
                                           from the DEFTER_SMTP_PASSWORD environment variable)";

const REPORT_EXAMPLES: &str = "Examples:
  defter report                            list the reports
  defter report open-requests              open requests by service and status
  defter report workload --format markdown open work per person, as a Markdown table
  defter report reviews-due --within 60d   reviews due in the next 60 days (and overdue ones)
  defter report expiring --format csv      certificates, domains, grants ending soon
  defter report kpis --as-of 2026-11-30 --format json";

const CODEOWNERS_EXAMPLES: &str = "Examples:
  defter codeowners                        write CODEOWNERS (or the one the repository has)
  defter codeowners --check                exit 1 if it is stale (for hooks and CI)
  defter codeowners --stdout               print it instead";

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create the repository in (created if missing). Without it, the
    /// current folder, which must then be empty (a dot-file such as `.git` aside).
    pub dir: Option<PathBuf>,

    /// Also copy the site's templates into site-templates/, to edit them.
    #[arg(long)]
    pub templates: bool,

    /// The date the example records are written around (default today).
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today())]
    pub as_of: jiff::civil::Date,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub kind: NewKind,
}

/// Flags every `defter new` takes.
#[derive(Clone, Debug, clap::Args)]
pub struct NewCommon {
    /// The record's date (received, started, history), as YYYY-MM-DD (default today).
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today(), global = true)]
    pub as_of: jiff::civil::Date,

    /// Who creates it (a person id); default: the person whose `git_emails` hold git's
    /// user.email.
    #[arg(long, value_name = "PERSON", global = true)]
    pub by: Option<String>,

    /// Any other top-level field, as FIELD=VALUE with VALUE written as YAML (`3`, `true`,
    /// `2026-12-31`, `[a, b]`, `"a: b"`); repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE", global = true, value_parser = parse_set)]
    pub set: Vec<(String, String)>,
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A request (talep), status `new`: records/requests/<year>/TLP-<year>-<nnnn>.md.
    #[command(after_help = NEW_EXAMPLES)]
    Request(NewRequest),
    /// A permission grant (yetki), status `requested`: records/grants/<year>/YTK-<year>-<nnnn>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Grant(NewGrant),
    /// A project, phase `proposed`: records/projects/PRJ-<nnnn>/index.md.
    #[command(after_help = NEW_EXAMPLES)]
    Project(NewProject),
    /// A section of a project's document: records/projects/PRJ-<nnnn>/<id>.md.
    #[command(after_help = NEW_EXAMPLES)]
    Section(NewSection),
    /// A unit of the organisation: records/org/units/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Unit(NewUnit),
    /// A person: records/org/people/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Person(NewPerson),
    /// An application (inventory): records/inventory/application/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Application(NewItem),
    /// A server (inventory): records/inventory/server/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Server(NewItem),
    /// A website (inventory): records/inventory/website/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Website(NewItem),
    /// A domain name (inventory): records/inventory/domain/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Domain(NewItem),
    /// A certificate (inventory): records/inventory/certificate/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Certificate(NewItem),
    /// A source repository (inventory): records/inventory/repository/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Repository(NewItem),
    /// An admin or service account (inventory): records/inventory/account/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Account(NewItem),
    /// A web-service client (inventory): records/inventory/webservice_client/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    WebserviceClient(NewItem),
    /// An information asset (inventory): records/inventory/asset/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Asset(NewItem),
    /// A business continuity plan (inventory): records/inventory/continuity_plan/<id>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    ContinuityPlan(NewItem),
    /// An information-security incident, status `detected`: records/incidents/<year>/OLY-<year>-<nnnn>.md.
    #[command(after_help = NEW_EXAMPLES)]
    Incident(NewRegister),
    /// A security hole found by a security test, status `open`:
    /// records/vulnerabilities/<year>/ACK-<year>-<nnnn>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Vulnerability(NewRegister),
    /// A planned internal audit, status `planned`: records/audits/<year>/DNT-<year>-<nnnn>.md.
    #[command(after_help = NEW_EXAMPLES)]
    Audit(NewRegister),
    /// A training need (staff or users), status `need`: records/trainings/<year>/EGT-<year>-<nnnn>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Training(NewRegister),
    /// A procurement from its specification, status `specification`:
    /// records/procurements/<year>/SAT-<year>-<nnnn>.md.
    #[command(after_help = NEW_EXAMPLES)]
    Procurement(NewRegister),
    /// Capacity planning, an update or maintenance of systems, status `planned`:
    /// records/maintenance/<year>/BKM-<year>-<nnnn>.yaml.
    #[command(after_help = NEW_EXAMPLES)]
    Maintenance(NewRegister),
    /// A decision of the information-security committee, status `open`:
    /// records/committee/<year>/KRR-<year>-<nnnn>.md.
    #[command(after_help = NEW_EXAMPLES)]
    Decision(NewRegister),
    /// A BGYS policy, procedure or document, status `draft`: records/bgys/<id>.md.
    #[command(after_help = NEW_EXAMPLES)]
    BgysDocument(NewRegister),
}

impl NewKind {
    /// The kind of record, and the flags every kind takes.
    pub fn parts(&self) -> (crate::model::Kind, &NewCommon) {
        use crate::model::Kind;
        match self {
            NewKind::Request(a) => (Kind::Request, &a.common),
            NewKind::Grant(a) => (Kind::Grant, &a.common),
            NewKind::Project(a) => (Kind::Project, &a.common),
            NewKind::Section(a) => (Kind::ProjectSection, &a.common),
            NewKind::Unit(a) => (Kind::Unit, &a.common),
            NewKind::Person(a) => (Kind::Person, &a.common),
            NewKind::Application(a) => (Kind::Application, &a.common),
            NewKind::Server(a) => (Kind::Server, &a.common),
            NewKind::Website(a) => (Kind::Website, &a.common),
            NewKind::Domain(a) => (Kind::Domain, &a.common),
            NewKind::Certificate(a) => (Kind::Certificate, &a.common),
            NewKind::Repository(a) => (Kind::Repository, &a.common),
            NewKind::Account(a) => (Kind::Account, &a.common),
            NewKind::WebserviceClient(a) => (Kind::WebserviceClient, &a.common),
            NewKind::Asset(a) => (Kind::Asset, &a.common),
            NewKind::ContinuityPlan(a) => (Kind::ContinuityPlan, &a.common),
            NewKind::Incident(a) => (Kind::Incident, &a.common),
            NewKind::Vulnerability(a) => (Kind::Vulnerability, &a.common),
            NewKind::Audit(a) => (Kind::Audit, &a.common),
            NewKind::Training(a) => (Kind::Training, &a.common),
            NewKind::Procurement(a) => (Kind::Procurement, &a.common),
            NewKind::Maintenance(a) => (Kind::Maintenance, &a.common),
            NewKind::Decision(a) => (Kind::Decision, &a.common),
            NewKind::BgysDocument(a) => (Kind::BgysDocument, &a.common),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct NewSection {
    #[command(flatten)]
    pub common: NewCommon,
    /// The project (PRJ-NNNN).
    #[arg(long, value_name = "PRJ-NNNN", required = true)]
    pub project: Option<String>,
    /// The section's title.
    #[arg(long, required = true)]
    pub title: Option<String>,
    /// analysis, development, rnd, changelog, test, operations or other.
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,
    /// The file name (without .md); default: made from the title.
    #[arg(long)]
    pub id: Option<String>,
    /// The section's text (Markdown).
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewUnit {
    #[command(flatten)]
    pub common: NewCommon,
    /// The unit's name.
    #[arg(long, required = true)]
    pub name: Option<String>,
    /// presidency, general_secretariat, department, directorate, service, unit, affiliate
    /// or contractor.
    #[arg(long = "type", value_name = "TYPE", required = true)]
    pub kind: Option<String>,
    /// The unit above it (unit id).
    #[arg(long, value_name = "UNIT")]
    pub parent: Option<String>,
    /// Its head (person id).
    #[arg(long, value_name = "PERSON")]
    pub head: Option<String>,
    /// The id; default: made from the name (`zabita-dairesi-baskanligi`).
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewPerson {
    #[command(flatten)]
    pub common: NewCommon,
    /// Name and surname.
    #[arg(long, required = true)]
    pub name: Option<String>,
    /// The unit the person works in (unit id).
    #[arg(long, value_name = "UNIT", required = true)]
    pub unit: Option<String>,
    /// department_head, branch_manager, service_chief, staff, unit_official, contractor,
    /// some_member or security_committee; repeatable.
    #[arg(long = "role", value_name = "ROLE", required = true)]
    pub roles: Vec<String>,
    /// The work e-mail address.
    #[arg(long, required = true)]
    pub email: Option<String>,
    /// An address the person commits with (default: --email); repeatable.
    #[arg(long = "git-email", value_name = "EMAIL")]
    pub git_emails: Vec<String>,
    /// The job title (Servis Şefi, Yazılım Uzmanı…).
    #[arg(long)]
    pub title: Option<String>,
    /// The id; default: made from the name (`ayse.yilmaz`).
    #[arg(long)]
    pub id: Option<String>,
}

/// Flags of every inventory type; the type's own fields are given with --set.
#[derive(Debug, clap::Args)]
pub struct NewItem {
    #[command(flatten)]
    pub common: NewCommon,
    /// What it is called.
    #[arg(long, required = true)]
    pub name: Option<String>,
    /// Who is responsible for it (unit or person id); default: the author's unit.
    #[arg(long, value_name = "UNIT|PERSON")]
    pub owner: Option<String>,
    /// planned, active or retired.
    #[arg(long, default_value = "active")]
    pub status: String,
    /// public, internal, confidential or secret.
    #[arg(long, default_value = "internal")]
    pub classification: String,
    /// The id; default: the type's prefix and the name (`srv-uygulama-sunucusu-2`).
    #[arg(long)]
    pub id: Option<String>,
}

/// Flags of the security and management registers; each kind's own fields are given
/// with --set (`new` lists the required ones still missing).
#[derive(Debug, clap::Args)]
pub struct NewRegister {
    #[command(flatten)]
    pub common: NewCommon,
    /// Short title.
    #[arg(long, required = true)]
    pub title: Option<String>,
    /// The text of the record (Markdown kinds: incident, audit, procurement, decision,
    /// BGYS document).
    #[arg(long)]
    pub description: Option<String>,
    /// A BGYS document's id (default: `bgys-` and the title); the other registers are
    /// numbered.
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Clone, Debug, clap::Args)]
pub struct NewRequest {
    #[command(flatten)]
    pub common: NewCommon,
    /// Short title.
    #[arg(long, required = true)]
    pub title: Option<String>,
    /// new_software, change, db_change, defect, data_update, web_content, integration,
    /// training or consultancy.
    #[arg(long = "type", value_name = "TYPE", required = true)]
    pub kind: Option<String>,
    /// The requesting unit (unit id).
    #[arg(long, required = true)]
    pub unit: Option<String>,
    /// Who asked (person id); default: the unit's head, or its only unit official.
    #[arg(long, value_name = "PERSON")]
    pub requester: Option<String>,
    /// intranet, support_portal, him, official_letter, phone, email or issue_form.
    #[arg(long, default_value = "intranet")]
    pub source: String,
    /// The official letter's number (with --source official_letter).
    #[arg(long, value_name = "NUMBER")]
    pub letter_number: Option<String>,
    /// The official letter's date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub letter_date: Option<String>,
    /// low, normal, high or urgent.
    #[arg(long, default_value = "normal")]
    pub priority: String,
    /// The responsible service (unit id); default: the author's service, else the
    /// analysis service.
    #[arg(long, value_name = "UNIT")]
    pub service: Option<String>,
    /// Due date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub due: Option<String>,
    /// The application concerned (inventory id).
    #[arg(long, value_name = "APP")]
    pub system: Option<String>,
    /// The project it belongs to.
    #[arg(long, value_name = "PRJ-NNNN")]
    pub project: Option<String>,
    /// A note for the first history entry.
    #[arg(long)]
    pub note: Option<String>,
    /// The description (Markdown body).
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewGrant {
    #[command(flatten)]
    pub common: NewCommon,
    /// Who gets the permission (person id).
    #[arg(long, value_name = "PERSON", required = true)]
    pub grantee: Option<String>,
    /// The application (inventory id).
    #[arg(long, value_name = "APP", required = true)]
    pub system: Option<String>,
    /// The role or permission level in that system.
    #[arg(long, required = true)]
    pub role: Option<String>,
    /// The scope (e.g. only the grantee's unit).
    #[arg(long)]
    pub scope: Option<String>,
    /// intranet or official_letter.
    #[arg(long, default_value = "intranet")]
    pub source: String,
    /// Who asked for it (person id); default: the grantee.
    #[arg(long, value_name = "PERSON")]
    pub requested_by: Option<String>,
    /// Last day of validity.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub valid_until: Option<String>,
    /// A note for the first history entry.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewProject {
    #[command(flatten)]
    pub common: NewCommon,
    /// The project's name.
    #[arg(long, required = true)]
    pub title: Option<String>,
    /// e_municipality, e_government, web, intranet, kiosk, mobile, integration,
    /// data_science, image_processing, ai or internal.
    #[arg(long, required = true)]
    pub kind: Option<String>,
    /// The unit that asked for it and owns it (unit id).
    #[arg(long, value_name = "UNIT", required = true)]
    pub owner_unit: Option<String>,
    /// The responsible service (unit id); default: the author's service, else the
    /// analysis service.
    #[arg(long, value_name = "UNIT")]
    pub service: Option<String>,
    /// The analyst (person id of the analysis service).
    #[arg(long, value_name = "PERSON")]
    pub analyst: Option<String>,
    /// Target date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub target_date: Option<String>,
    /// The overview (Markdown body).
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NotifyArgs {
    /// Print the messages instead of sending them (nothing is remembered as sent).
    #[arg(long)]
    pub dry_run: bool,

    /// Only this person (their id, `ayse.yilmaz`).
    #[arg(long, value_name = "PERSON")]
    pub to: Option<String>,

    /// The date the digests are made as of, as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today())]
    pub as_of: jiff::civil::Date,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The report (omit to list them).
    #[arg(value_enum)]
    pub name: Option<ReportName>,

    /// How the report is printed.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    /// The window of reviews-due and expiring: `30d`, `8w` or `30` (days); default the
    /// `expiring_days` of defter.toml.
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub within: Option<i64>,

    /// The date the report is made as of, as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today())]
    pub as_of: jiff::civil::Date,

    /// kpis: how many months back.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub months: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportName {
    /// Open requests by responsible service and status.
    OpenRequests,
    /// Open requests and projects per person.
    Workload,
    /// Grants, accounts, repositories, web-service clients and continuity plans due for review.
    ReviewsDue,
    /// Certificates, domains and grants ending within the window (or already past).
    Expiring,
    /// Per month: requests received and closed, backlog, median days to close, share closed by the due date.
    Kpis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned columns.
    Table,
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON document (the report's data).
    Json,
    /// A Markdown table.
    Markdown,
}

const ACCESS_EXAMPLES: &str = "Examples:
  defter access                                   who holds access today
  defter access --on 2026-03-01                   on a past day (the repository as it stood then, and today's records)
  defter access --system app-e-belediye --on 2026-03-01
  defter access --person volkan.acar --format csv
  defter access --at v1.2                         as recorded at a commit (branch, tag, HEAD~3)

Exit status: 0 answered, 2 defter could not run (a date in the future or before the
first commit, an unknown revision, a shallow clone lacking the date).";

#[derive(Debug, clap::Args)]
pub struct AccessArgs {
    /// Only this system: a grant's or account's `system`, or a repository's or web-service
    /// client's id.
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,

    /// Only the access this person holds.
    #[arg(long, value_name = "PERSON")]
    pub person: Option<String>,

    /// The day asked about, as YYYY-MM-DD (default today): the repository as it stood at
    /// the end of that day, and today's records read for that day.
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "at")]
    pub on: Option<jiff::civil::Date>,

    /// A commit (branch, tag, `HEAD~3`) to read "as recorded" at, instead of a day; today's
    /// records are read for the commit's day.
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,

    /// How the answer is printed.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

const INTAKE_EXAMPLES: &str = "Examples:
  defter intake \"$GITHUB_EVENT_PATH\" --event-name issues --comment comment.md
  defter --lang tr intake event.json --comment comment.md

The request is committed on the branch talep/<id> (the working tree and the branch checked
out are left alone); push it and open a pull request. The comment (Markdown, in the run's
language) is for the workflow to post on the issue: the request's id, or what the form
lacks. The intake workflow `defter init` writes does all of this (docs/ci.md).

Exit status: 0 taken in (the id on standard output), 1 the form does not validate (the
comment says why; nothing written), 2 not an issue being opened, or defter could not run.";

#[derive(Debug, clap::Args)]
pub struct IntakeArgs {
    /// The event's JSON: the Actions event file (`$GITHUB_EVENT_PATH`, GitHub and Gitea
    /// alike) or a webhook's body.
    #[arg(value_name = "EVENT.json")]
    pub event: PathBuf,

    /// The event's name (`${{ github.event_name }}`); any but `issues` is refused.
    #[arg(long, value_name = "NAME")]
    pub event_name: Option<String>,

    /// Write the comment for the issue (Markdown) into this file.
    #[arg(long, value_name = "FILE")]
    pub comment: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CodeownersArgs {
    /// Write nothing: exit 1 if the file is missing or stale.
    #[arg(long, conflicts_with = "stdout")]
    pub check: bool,

    /// Print the file instead of writing it.
    #[arg(long)]
    pub stdout: bool,
}

/// `FIELD=VALUE` of `defter new --set`.
fn parse_set(text: &str) -> Result<(String, String), String> {
    let (field, value) = text.split_once('=').ok_or_else(|| format!("`{text}` is not FIELD=VALUE"))?;
    let field = field.trim();
    if field.is_empty() || !field.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err(format!("`{field}` is not a field name (lower-case letters, digits and _)"));
    }
    Ok((field.to_string(), value.trim().to_string()))
}

/// `30d`, `8w` or `30` → days.
fn parse_days(text: &str) -> Result<i64, String> {
    let (number, unit) = match text.strip_suffix('d') {
        Some(n) => (n, 1),
        None => match text.strip_suffix('w') {
            Some(n) => (n, 7),
            None => (text, 1),
        },
    };
    number.parse::<i64>().map(|n| n * unit).map_err(|_| format!("`{text}` is not a number of days (30d, 8w or 30)"))
}
