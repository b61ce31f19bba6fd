//! Every separation pair, actor field, holder, expiry and review that
//! `schemas/workflows.yaml` declares fires on a record made to break it, at the right file
//! and line, and stays silent on a near miss: lawful work that looks much the same.
//!
//! Each case starts from one lawful record (mostly the clean fixture's) and makes two
//! small edits of it: the break, and the near miss. The list of cases is checked against
//! the workflow data, so an entry added there without a case here fails.

use std::collections::BTreeSet;

use defter::diag::Rule;
use defter::load::rules::Ruleset;

use crate::harness::{AS_OF, Repo, findings, fixtures};

const REQUEST: &str = "records/requests/2026/TLP-2026-0001.md";
const GRANT: &str = "records/grants/2026/YTK-2026-0001.yaml";
const PROJECT: &str = "records/projects/PRJ-0001/index.md";
const CERTIFICATE: &str = "records/inventory/certificate/crt-zabita.yaml";

/// A rejected request, for the actor of the rejection.
const REJECTED: (&str, &str) = (
    "records/requests/2026/TLP-2026-0002.md",
    "---
id: TLP-2026-0002
title: Zabıta raporunun Excel'e aktarılması
type: change
source: official_letter
letter: { number: \"E-12345678-010.06-987655\", date: 2026-03-10 }
unit: zabita-dairesi
requester: mehmet.demir
received: 2026-03-11
priority: low
service: yazilim-analiz-servisi
status: rejected
history:
  - { date: 2026-03-11, by: burak.yildiz, status: new }
  - { date: 2026-03-13, by: hakan.celik, status: rejected }
rejection:
  date: 2026-03-13
  by: hakan.celik
  reason: Mevcut rapor ekranı bu ihtiyacı karşılıyor.
  letter: { number: \"E-12345678-010.06-987700\", date: 2026-03-13 }
---
Rapor ekranındaki verinin Excel'e aktarılması istendi.
",
);

const REPOSITORY: (&str, &str) = (
    "records/inventory/repository/repo-zabita.yaml",
    "id: repo-zabita
type: repository
name: Zabıta saha uygulaması
owner: yazilim-devops-servisi
status: active
classification: confidential
url: https://git.izbb.local/yazilim/zabita
access:
  - { person: tolga.sen, level: admin }
  - { person: elif.kara, level: write }
last_review: 2026-10-01
pipeline: { build: true, tests: true, code_analysis: SonarQube, last_analysis: 2026-10-01 }
",
);

const ACCOUNT: (&str, &str) = (
    "records/inventory/account/acc-zabita-db.yaml",
    "id: acc-zabita-db
type: account
name: Zabıta veritabanı yönetici hesabı
owner: yazilim-devops-servisi
status: active
classification: secret
system: app-bbys-zabita
kind: admin
holder: tolga.sen
last_review: 2026-09-21
",
);

const DOMAIN: (&str, &str) = (
    "records/inventory/domain/dom-zabita.yaml",
    "id: dom-zabita
type: domain
name: zabita.izmir.bel.tr
owner: yazilim-analiz-servisi
status: active
classification: public
registrar: nic.tr
registered: 2020-04-14
expires: 2027-04-14
auto_renew: true
",
);

const CLIENT: (&str, &str) = (
    "records/inventory/webservice_client/wsc-zabita.yaml",
    "id: wsc-zabita
type: webservice_client
name: Zabıta şikâyet servisi istemcisi
owner: yazilim-devops-servisi
status: active
classification: confidential
consumer: app-bbys-zabita
services: [BBYS.Zabita.SikayetKayit/v1]
permissions: [sikayet-olustur]
last_review: 2026-07-14
",
);

/// An open access review campaign of the zabıta system: a grant, an administrator
/// account, a repository access and a web-service client, each with its reviewer; two
/// decided.
const CAMPAIGN: (&str, &str) = (
    "records/campaigns/2026/EGK-2026-0001.yaml",
    "id: EGK-2026-0001
title: BBYS Zabıta erişim gözden geçirmesi
scope: { type: system, target: app-bbys-zabita }
started: 2026-11-16
started_by: ayse.yilmaz
commit: bca84c7b1a2eab0cb3a5051e3babcc6076258515
due: 2026-12-11
items:
  - { item: YTK-2026-0001, kind: grant, record: YTK-2026-0001, holder: mehmet.demir, reviewer: ayse.yilmaz, detail: \"Birim yöneticisi (Etkin)\", change: new }
  - { item: acc-zabita-db, kind: account, record: acc-zabita-db, holder: tolga.sen, reviewer: selin.aydin, detail: \"Zabıta veritabanı yönetici hesabı (Yönetici hesabı)\", change: new }
  - { item: \"repo-zabita:elif.kara\", kind: repository, record: repo-zabita, holder: elif.kara, reviewer: tolga.sen, detail: Yazma, change: new }
  - { item: wsc-zabita, kind: webservice_client, record: wsc-zabita, holder: app-bbys-zabita, reviewer: tolga.sen, detail: sikayet-olustur, change: new }
decisions:
  - { date: 2026-11-18, by: ayse.yilmaz, result: keep, item: YTK-2026-0001 }
  - { date: 2026-11-19, by: tolga.sen, result: keep, item: wsc-zabita }
status: open
history:
  - { date: 2026-11-16, by: ayse.yilmaz, status: open, note: \"4 kalem\" }
",
);

const CONTINUITY: (&str, &str) = (
    "records/inventory/continuity_plan/bcp-zabita.yaml",
    "id: bcp-zabita
type: continuity_plan
name: Zabıta iş sürekliliği planı
owner: yazilim-devops-servisi
status: active
classification: confidential
systems: [app-bbys-zabita]
rto: 8h
rpo: 4h
test_interval: 182
tests:
  - { date: 2026-10-21, result: pass, by: tolga.sen }
",
);

/// The security and management registers, each lawful as it is (as of 2026-11-30).
const INCIDENT: (&str, &str) = (
    "records/incidents/2026/OLY-2026-0001.md",
    "---
id: OLY-2026-0001
title: Zabıta uygulamasında şüpheli oturum açma
detected: 2026-11-02
reported_by: oguz.koc
systems: [app-bbys-zabita]
notifications:
  - { to: superior, date: 2026-11-02, by: oguz.koc, recipient: ayse.yilmaz }
  - { to: some_board, date: 2026-11-02, by: oguz.koc }
status: reported
history:
  - { date: 2026-11-02, by: oguz.koc, status: reported }
---
Aynı hesaba yüzlerce başarısız oturum açma denemesi.
",
);

const VULNERABILITY: (&str, &str) = (
    "records/vulnerabilities/2026/ACK-2026-0001.yaml",
    "id: ACK-2026-0001
title: Rapor ekranında SQL enjeksiyonu
found: 2026-11-20
test: { name: Uygulama güvenlik testi, by: tolga.sen }
system: app-bbys-zabita
severity: critical
service: yazilim-gelistirme-servisi
assignee: elif.kara
status: fixing
history:
  - { date: 2026-11-20, by: tolga.sen, status: open }
  - { date: 2026-11-20, by: burak.yildiz, status: fixing }
",
);

/// Edits of [`VULNERABILITY`]: closed by `$by`, who also fills in the closure.
macro_rules! vulnerability_closed_by {
    ($by:literal) => {
        [
            (
                "status: fixing\n",
                concat!(
                    "closure: { date: 2026-11-25, by: ",
                    $by,
                    ", summary: Sorgu parametreli yapıldı }\nstatus: closed\n"
                ),
            ),
            (
                "status: fixing }\n",
                concat!("status: fixing }\n  - { date: 2026-11-25, by: ", $by, ", status: closed }\n"),
            ),
        ]
    };
}

const AUDIT: (&str, &str) = (
    "records/audits/2026/DNT-2026-0001.md",
    "---
id: DNT-2026-0001
title: Erişim yönetimi iç denetimi
scope: Yetkilerin verilmesi ve gözden geçirilmesi
planned: 2026-05-12
held: 2026-05-14
participants: [ayse.yilmaz, oguz.koc]
findings:
  - { text: Talimat sayısı eksik, responsible: oguz.koc, action: Eksikler tamamlanacak, due: 2026-06-15, done: 2026-06-03 }
closure: { date: 2026-06-30, by: ayse.yilmaz }
status: closed
history:
  - { date: 2026-04-20, by: ayse.yilmaz, status: planned }
  - { date: 2026-05-14, by: ayse.yilmaz, status: held }
  - { date: 2026-06-30, by: ayse.yilmaz, status: closed }
---
Denetim.
",
);

const TRAINING: (&str, &str) = (
    "records/trainings/2026/EGT-2026-0001.yaml",
    "id: EGT-2026-0001
title: Güvenli kodlama eğitimi
audience: staff
service: yazilim-gelistirme-servisi
need: { date: 2026-02-16, by: burak.yildiz, reason: Tekrarlayan bulgular }
planned: 2026-12-08
status: planned
history:
  - { date: 2026-02-16, by: burak.yildiz, status: need }
  - { date: 2026-03-02, by: burak.yildiz, status: planned }
",
);

const PROCUREMENT: (&str, &str) = (
    "records/procurements/2026/SAT-2026-0001.md",
    "---
id: SAT-2026-0001
title: Kod analizi yazılımı lisansı
type: services
service: yazilim-gelistirme-servisi
specification: { prepared_by: elif.kara, date: 2026-01-12, checked_by: burak.yildiz, approved_by: selin.aydin, approved_on: 2026-01-20 }
purchase: { reference: \"2026/DT-0042\", date: 2026-02-18 }
acceptance: { committee: [elif.kara, tolga.sen], date: 2026-03-04, result: accepted }
payments:
  - { date: 2026-03-05, prepared_by: elif.kara }
status: accepted
history:
  - { date: 2026-01-12, by: elif.kara, status: specification }
  - { date: 2026-01-20, by: selin.aydin, status: approved }
  - { date: 2026-02-18, by: burak.yildiz, status: purchasing }
  - { date: 2026-02-25, by: burak.yildiz, status: acceptance }
  - { date: 2026-03-04, by: burak.yildiz, status: accepted }
---
Bir yıllık lisans.
",
);

const DECISION: (&str, &str) = (
    "records/committee/2026/KRR-2026-0001.md",
    "---
id: KRR-2026-0001
title: Kiosklarda USB girişlerinin kapatılması
type: security_measure
committee: steering_committee
meeting: 2026-11-26
informed_by: selin.aydin
approved_by: selin.aydin
opinion: approved
actions:
  - { text: USB girişleri kapatılacak, responsible: tolga.sen, due: 2026-12-15 }
status: open
history:
  - { date: 2026-11-26, by: selin.aydin, status: open }
---
Şube müdürü önlemi onayladı.
",
);

const BGYS: (&str, &str) = (
    "records/bgys/bgys-erisim-proseduru.md",
    "---
id: bgys-erisim-proseduru
title: Erişim yönetimi prosedürü
type: procedure
owner: ayse.yilmaz
service: yazilim-destek-servisi
version: \"1.2\"
approved: 2025-03-25
approved_by: selin.aydin
reviews:
  - { date: 2026-09-28, by: ayse.yilmaz, result: unchanged }
status: in_force
history:
  - { date: 2025-03-20, by: ayse.yilmaz, status: draft }
  - { date: 2025-03-25, by: selin.aydin, status: in_force }
---
Yetkiler yazılı talimatla verilir.
",
);

/// An analyst who has left, for the holder of an open project.
const LEAVER: (&str, &str) = (
    "records/org/people/leyla.ak.yaml",
    "id: leyla.ak
name: Leyla Ak
title: Çözümleyici
unit: yazilim-analiz-servisi
roles: [staff]
email: leyla.ak@izmir.bel.tr
git_emails: [leyla.ak@izmir.bel.tr]
active: false
left_on: 2026-06-30
",
);

/// The R&D service and one of its staff, for R&D deploying its own work (M12(1)(g)(h)).
const RND_SERVICE: (&str, &str) = (
    "records/org/units/yazilim-arge-servisi.yaml",
    "id: yazilim-arge-servisi
name: Ar-Ge Servisi
type: service
function: rnd
parent: yazilim-sube-mudurlugu
",
);

const RND_STAFF: (&str, &str) = (
    "records/org/people/deniz.aksoy.yaml",
    "id: deniz.aksoy
name: Deniz Aksoy
title: Veri Bilimci
unit: yazilim-arge-servisi
roles: [staff]
email: deniz.aksoy@izmir.bel.tr
git_emails: [deniz.aksoy@izmir.bel.tr]
active: true
",
);

/// Edits of [`REJECTED`]: assigned to an analyst and taken into work, then rejected by
/// the person each list names.
macro_rules! in_evaluation {
    ($by:literal) => {
        [
            (
                "  - { date: 2026-03-13, by: hakan.celik, status: rejected }\n",
                concat!(
                    "  - { date: 2026-03-12, by: hakan.celik, status: assigned }\n",
                    "  - { date: 2026-03-12, by: zeynep.arslan, status: in_progress }\n",
                    "  - { date: 2026-03-13, by: ",
                    $by,
                    ", status: rejected }\n"
                ),
            ),
            ("  by: hakan.celik\n", concat!("  by: ", $by, "\n")),
            ("status: rejected\nhistory", "assignee: zeynep.arslan\nstatus: rejected\nhistory"),
        ]
    };
}

/// `(from, to)`: every `from` in the record becomes `to`.
type Edit = (&'static str, &'static str);

struct Case {
    /// The workflows.yaml entry, as `entry_key` spells it.
    entry: &'static str,
    rule: Rule,
    /// The record both edits start from, and its text (lawful as it is).
    file: &'static str,
    text: String,
    /// Makes the record break the entry…
    breaks: Vec<Edit>,
    /// …on the line (of the broken record) holding this text.
    at: &'static str,
    /// Makes it lawful work that looks alike: the rule must not fire.
    near_miss: Vec<Edit>,
    /// Other records the case needs.
    extra: Vec<(&'static str, &'static str)>,
}

fn good(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join("good").join(rel)).unwrap()
}

fn case(entry: &'static str, rule: Rule, file: &'static str, text: String) -> Case {
    Case { entry, rule, file, text, breaks: Vec::new(), at: "", near_miss: Vec::new(), extra: Vec::new() }
}

impl Case {
    fn breaks(mut self, edits: &[Edit], at: &'static str) -> Self {
        self.breaks = edits.to_vec();
        self.at = at;
        self
    }

    fn near_miss(mut self, edits: &[Edit]) -> Self {
        self.near_miss = edits.to_vec();
        self
    }

    fn with(mut self, record: (&'static str, &'static str)) -> Self {
        self.extra.push(record);
        self
    }
}

fn edit(text: &str, edits: &[Edit], what: &str) -> String {
    let mut text = text.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "{what}: no {from:?} in\n{text}");
        text = text.replace(from, to);
    }
    text
}

/// The shipped workflow data.
fn workflows() -> defter::model::workflow::Workflows {
    Ruleset::from_source(|_| Ok(None)).unwrap().workflows
}

/// `rule kind field [where k=v]`: how a case names the entry it covers.
fn entry_key(section: &str, kind: &str, field: &str, filter: &indexmap::IndexMap<String, String>) -> String {
    let filter: String = filter.iter().map(|(k, v)| format!(" where {k}={v}")).collect();
    format!("{section} {kind} {field}{filter}")
}

fn declared() -> BTreeSet<String> {
    let w = workflows();
    let none = indexmap::IndexMap::new();
    let mut keys = BTreeSet::new();
    for s in &w.separation {
        keys.insert(entry_key("separation", &s.kind, &format!("{} / {}", s.a, s.b), &s.filter));
    }
    for a in &w.actor_fields {
        keys.insert(entry_key("actor_fields", &a.kind, &a.field, &a.filter));
    }
    for h in &w.holders {
        keys.insert(entry_key("holders", &h.kind, &h.field, &none));
    }
    for e in &w.expiries {
        keys.insert(entry_key("expiries", &e.kind, &e.field, &none));
    }
    for r in &w.reviews {
        keys.insert(entry_key("reviews", &r.kind, &r.dates, &none));
    }
    for t in &w.required_tests {
        let values = indexmap::IndexMap::from([(t.field.clone(), t.values.join(","))]);
        keys.insert(entry_key("required_tests", &t.kind, &t.tester, &values));
    }
    keys
}

fn cases() -> Vec<Case> {
    use Rule::{Expired, InactivePerson, ReviewOverdue, SeparationOfDuties, UnauthorizedActor};
    let (request, grant, project, certificate) = (good(REQUEST), good(GRANT), good(PROJECT), good(CERTIFICATE));
    let own = |(file, text): (&'static str, &'static str)| (file, text.to_string());
    let test_deployment = (
        "deployments:\n",
        "deployments:\n  - { date: 2026-05-08, version: \"1.0.0-rc1\", environment: test, by: oguz.koc, approved_by: elif.kara }\n",
    );
    let live_to_deployment: [Edit; 2] =
        [("phase: live", "phase: deployment"), ("  - { date: 2026-05-10, by: tolga.sen, status: live }\n", "")];
    let reopened: [Edit; 2] = [
        ("status: closed }\n", "status: closed }\n  - { date: 2026-11-20, by: burak.yildiz, status: in_progress }\n"),
        ("\nstatus: closed\n", "\nstatus: in_progress\n"),
    ];
    let released = request.replace(
        "tested_by: oguz.koc }\n",
        "tested_by: oguz.koc }\nrelease: { date: 2026-04-03, by: oguz.koc, to: tolga.sen, version: \"2.4.1\" }\n",
    );
    let (repository, account, domain, client, continuity, rejected) =
        (own(REPOSITORY), own(ACCOUNT), own(DOMAIN), own(CLIENT), own(CONTINUITY), own(REJECTED));
    let (incident, vulnerability, audit, training, procurement, decision, bgys) =
        (own(INCIDENT), own(VULNERABILITY), own(AUDIT), own(TRAINING), own(PROCUREMENT), own(DECISION), own(BGYS));
    let campaign = own(CAMPAIGN);
    let campaign_case = |entry: &'static str| {
        case(entry, UnauthorizedActor, campaign.0, campaign.1.clone()).with(ACCOUNT).with(REPOSITORY).with(CLIENT)
    };
    let withdrawn: [Edit; 3] = [
        (
            "status: in_force\n",
            "withdrawal: { date: 2026-11-02, reason: Yeni prosedür yürürlükte }\nstatus: withdrawn\n",
        ),
        ("status: in_force }\n", "status: in_force }\n  - { date: 2026-11-02, by: selin.aydin, status: withdrawn }\n"),
        ("owner: ayse.yilmaz", "owner: volkan.acar"),
    ];
    vec![
        // Separation of duties: one person on both sides of a pair.
        case("separation request assignee / resolution.tested_by", SeparationOfDuties, REQUEST, request.clone())
            .breaks(&[("tested_by: oguz.koc", "tested_by: elif.kara")], "tested_by: elif.kara")
            // The assignee sends the work to test; another person tests it.
            .near_miss(&[]),
        case("separation grant grantee / approved_by", SeparationOfDuties, GRANT, grant.clone())
            .breaks(&[("grantee: mehmet.demir", "grantee: burak.yildiz")], "approved_by: burak.yildiz")
            // The grantee requested it and signed the instruction: that is allowed.
            .near_miss(&[]),
        // Four eyes (a local rule): who requests a grant does not approve it.
        case("separation grant requested_by / approved_by", SeparationOfDuties, GRANT, grant.clone())
            .breaks(&[("requested_by: mehmet.demir", "requested_by: burak.yildiz")], "approved_by: burak.yildiz")
            // The grantee requested it and a chief approved it: two people.
            .near_miss(&[]),
        case("separation grant grantee / granted_by", SeparationOfDuties, GRANT, grant.clone())
            .breaks(&[("grantee: mehmet.demir", "grantee: oguz.koc")], "granted_by: oguz.koc")
            // A support colleague of the grantee's defines it.
            .near_miss(&[("grantee: mehmet.demir", "grantee: ayse.yilmaz")]),
        case("separation project developers[] / tests[].by", SeparationOfDuties, PROJECT, project.clone())
            .breaks(&[("developers: [elif.kara]", "developers: [elif.kara, oguz.koc]")], "by: oguz.koc, role: support")
            // The developer moves the project to testing (history), others test it.
            .near_miss(&[("by: burak.yildiz, status: testing", "by: elif.kara, status: testing")]),
        // Actor fields: the person recorded lacks the role.
        // Testers per request type (required_tests).
        case(
            "required_tests request resolution.tested_by where type=change,db_change,defect",
            UnauthorizedActor,
            REQUEST,
            request.clone(),
        )
        .breaks(&[("tested_by: oguz.koc", "tested_by: tolga.sen")], "tested_by: tolga.sen")
        // The chief of the request's own (development) service may test and close.
        .near_miss(&[("tested_by: oguz.koc", "tested_by: burak.yildiz")]),
        case(
            "required_tests request resolution.tested_by where type=new_software,integration",
            UnauthorizedActor,
            REQUEST,
            request.replace("type: change", "type: new_software"),
        )
        .breaks(&[("tested_by: oguz.koc", "tested_by: tolga.sen")], "tested_by: tolga.sen")
        // An analyst tests new software with the support staff (M9(1)(g)).
        .near_miss(&[("tested_by: oguz.koc", "tested_by: zeynep.arslan")]),
        case("actor_fields request rejection.by", UnauthorizedActor, rejected.0, rejected.1.clone())
            .breaks(&[("  by: hakan.celik\n", "  by: oguz.koc\n")], "  by: oguz.koc")
            // Analysis staff, not only its chief, rejects.
            .near_miss(&[("  by: hakan.celik\n", "  by: zeynep.arslan\n")]),
        // M9(1)(b): rejected during the evaluation (after assignment, in progress), by the
        // branch manager after the analyst consulted her superiors; support may not.
        case("actor_fields request rejection.by", UnauthorizedActor, rejected.0, rejected.1.clone())
            .breaks(&in_evaluation!("oguz.koc"), "  by: oguz.koc")
            .near_miss(&in_evaluation!("selin.aydin")),
        // M13(1)(e): support hands the tested update to whoever puts it on the server.
        case("actor_fields request release.by", UnauthorizedActor, REQUEST, released.clone())
            .breaks(&[("by: oguz.koc, to:", "by: elif.kara, to:")], "release:")
            // The support chief hands it on too.
            .near_miss(&[("by: oguz.koc, to:", "by: ayse.yilmaz, to:")]),
        case("actor_fields request release.to", UnauthorizedActor, REQUEST, released.clone())
            // An analyst does not put software on the server.
            .breaks(&[("to: tolga.sen", "to: zeynep.arslan")], "release:")
            .near_miss(&[("version: \"2.4.1\"", "version: \"2.4.2\"")]),
        case("actor_fields grant approved_by", UnauthorizedActor, GRANT, grant.clone())
            .breaks(&[("approved_by: burak.yildiz", "approved_by: oguz.koc")], "approved_by: oguz.koc")
            // The branch manager approves as well as a chief.
            .near_miss(&[("approved_by: burak.yildiz", "approved_by: selin.aydin")]),
        case("actor_fields grant granted_by", UnauthorizedActor, GRANT, grant.clone())
            .breaks(&[("granted_by: oguz.koc", "granted_by: zeynep.arslan")], "granted_by: zeynep.arslan")
            // The support service's chief is of the support service too.
            .near_miss(&[("granted_by: oguz.koc", "granted_by: ayse.yilmaz")]),
        case("actor_fields grant reviews[].by", UnauthorizedActor, GRANT, grant.clone())
            .breaks(&[("by: ayse.yilmaz, outcome", "by: elif.kara, outcome")], "by: elif.kara, outcome")
            // Support staff review, not only chiefs.
            .near_miss(&[("by: ayse.yilmaz, outcome", "by: oguz.koc, outcome")]),
        case("actor_fields project analyst", UnauthorizedActor, PROJECT, project.clone())
            .breaks(&[("analyst: zeynep.arslan", "analyst: elif.kara")], "analyst: elif.kara")
            // The analysis service's chief analyses too.
            .near_miss(&[("analyst: zeynep.arslan", "analyst: hakan.celik")]),
        case("actor_fields project tests[].by where role=support", UnauthorizedActor, PROJECT, project.clone())
            .breaks(
                &[("by: oguz.koc, role: support", "by: zeynep.arslan, role: support")],
                "by: zeynep.arslan, role: support",
            )
            .near_miss(&[("by: oguz.koc, role: support", "by: ayse.yilmaz, role: support")]),
        case("actor_fields project tests[].by where role=unit_official", UnauthorizedActor, PROJECT, project.clone())
            .breaks(
                &[("by: mehmet.demir, role: unit_official", "by: oguz.koc, role: unit_official")],
                "by: oguz.koc, role: unit_official",
            )
            // A failed test by the owner unit's official is his to record as well.
            .near_miss(&[(
                "tests:\n",
                "tests:\n  - { date: 2026-05-01, by: mehmet.demir, role: unit_official, result: fail }\n",
            )]),
        case("actor_fields project tests[].by where role=analyst", UnauthorizedActor, PROJECT, project.clone())
            .breaks(
                &[("tests:\n", "tests:\n  - { date: 2026-05-01, by: oguz.koc, role: analyst, result: pass }\n")],
                "by: oguz.koc, role: analyst",
            )
            .near_miss(&[(
                "tests:\n",
                "tests:\n  - { date: 2026-05-01, by: zeynep.arslan, role: analyst, result: pass }\n",
            )]),
        case(
            "actor_fields project deployments[].by where environment=production",
            UnauthorizedActor,
            PROJECT,
            project.clone(),
        )
        .breaks(&[("production, by: tolga.sen", "production, by: oguz.koc")], "production, by: oguz.koc")
        // Anyone of the directorate may install on the test environment.
        .near_miss(&[test_deployment]),
        // R&D staff build and publish the code they develop (M12(1)(g)(h)): on an R&D
        // project its developer deploys to production; on another service's project not.
        case(
            "actor_fields project deployments[].by where environment=production",
            UnauthorizedActor,
            PROJECT,
            project.replace("developers: [elif.kara]", "developers: [deniz.aksoy]"),
        )
        .with(RND_SERVICE)
        .with(RND_STAFF)
        .breaks(&[("production, by: tolga.sen", "production, by: deniz.aksoy")], "production, by: deniz.aksoy")
        .near_miss(&[
            ("production, by: tolga.sen", "production, by: deniz.aksoy"),
            ("by: tolga.sen, status: live", "by: deniz.aksoy, status: live"),
            ("service: yazilim-gelistirme-servisi", "service: yazilim-arge-servisi"),
        ]),
        case(
            "actor_fields project deployments[].approved_by where environment=production",
            UnauthorizedActor,
            PROJECT,
            project.clone(),
        )
        .breaks(&[("approved_by: burak.yildiz }", "approved_by: oguz.koc }")], "approved_by: oguz.koc }")
        // A test installation needs no chief's approval.
        .near_miss(&[test_deployment]),
        // Holders: a leaver (volkan.acar, active: false) still holds something.
        case("holders request assignee", InactivePerson, REQUEST, request.replace("elif.kara", "volkan.acar"))
            .breaks(&reopened, "assignee: volkan.acar")
            // A closed request keeps the leaver who did the work.
            .near_miss(&[]),
        case("holders grant grantee", InactivePerson, GRANT, grant.clone())
            .breaks(&[("grantee: mehmet.demir", "grantee: volkan.acar")], "grantee: volkan.acar")
            // The leaver's grant, revoked.
            .near_miss(&[
                ("grantee: mehmet.demir", "grantee: volkan.acar"),
                ("status: active }\n", "status: active }\n  - { date: 2026-11-02, by: oguz.koc, status: revoked }\n"),
                (
                    "\nstatus: active\n",
                    "\nstatus: revoked\nrevocation: { date: 2026-11-02, reason: Personelin ayrılması }\n",
                ),
            ]),
        case(
            "holders project analyst",
            InactivePerson,
            PROJECT,
            project.replace("analyst: zeynep.arslan", "analyst: leyla.ak"),
        )
        .with(LEAVER)
        .breaks(&live_to_deployment, "analyst: leyla.ak")
        // A live project keeps the analyst who has left.
        .near_miss(&[]),
        case("holders repository access[].person", InactivePerson, repository.0, repository.1.clone())
            .breaks(
                &[("level: admin }\n", "level: admin }\n  - { person: volkan.acar, level: write }\n")],
                "person: volkan.acar",
            )
            // A retired repository keeps its last access list.
            .near_miss(&[
                ("level: admin }\n", "level: admin }\n  - { person: volkan.acar, level: write }\n"),
                ("status: active", "status: retired"),
            ]),
        case("holders account holder", InactivePerson, account.0, account.1.clone())
            .breaks(&[("holder: tolga.sen", "holder: volkan.acar")], "holder: volkan.acar")
            .near_miss(&[("holder: tolga.sen", "holder: volkan.acar"), ("status: active", "status: retired")]),
        // Expiries, as of 2026-11-30.
        case("expiries certificate not_after", Expired, CERTIFICATE, certificate.clone())
            .breaks(&[("not_after: 2027-01-31", "not_after: 2026-11-01")], "not_after: 2026-11-01")
            // Retired when it ran out.
            .near_miss(&[("not_after: 2027-01-31", "not_after: 2026-11-01"), ("status: active", "status: retired")]),
        case("expiries domain expires", Expired, domain.0, domain.1.clone())
            .breaks(&[("expires: 2027-04-14", "expires: 2026-11-01")], "expires: 2026-11-01")
            .near_miss(&[("expires: 2027-04-14", "expires: 2026-11-01"), ("status: active", "status: retired")]),
        case("expiries grant valid_until", Expired, GRANT, grant.clone())
            .breaks(&[("granted_on: 2026-06-05\n", "granted_on: 2026-06-05\nvalid_until: 2026-11-01\n")], "valid_until")
            // Support ended it when it ran out.
            .near_miss(&[
                ("granted_on: 2026-06-05\n", "granted_on: 2026-06-05\nvalid_until: 2026-11-01\n"),
                ("status: active }\n", "status: active }\n  - { date: 2026-11-02, by: oguz.koc, status: expired }\n"),
                ("\nstatus: active\n", "\nstatus: expired\n"),
            ]),
        // Reviews, as of 2026-11-30: the near miss is due that very day.
        case(
            "reviews grant reviews[].date",
            ReviewOverdue,
            GRANT,
            grant.replace("granted_on: 2026-06-05", "granted_on: 2026-05-20"),
        )
        .breaks(&[("date: 2026-10-01, by: ayse", "date: 2026-06-02, by: ayse")], "date: 2026-06-02, by: ayse")
        .near_miss(&[("date: 2026-10-01, by: ayse", "date: 2026-06-03, by: ayse")]),
        case("reviews account last_review", ReviewOverdue, account.0, account.1.clone())
            .breaks(&[("last_review: 2026-09-21", "last_review: 2025-11-29")], "last_review")
            .near_miss(&[("last_review: 2026-09-21", "last_review: 2025-11-30")]),
        case("reviews repository last_review", ReviewOverdue, repository.0, repository.1.clone())
            .breaks(&[("last_review: 2026-10-01", "last_review: 2026-06-02")], "last_review")
            .near_miss(&[("last_review: 2026-10-01", "last_review: 2026-06-03")]),
        case("reviews webservice_client last_review", ReviewOverdue, client.0, client.1.clone())
            .breaks(&[("last_review: 2026-07-14", "last_review: 2025-11-29")], "last_review")
            .near_miss(&[("last_review: 2026-07-14", "last_review: 2025-11-30")]),
        case("reviews continuity_plan tests[].date", ReviewOverdue, continuity.0, continuity.1.clone())
            .breaks(&[("date: 2026-10-21", "date: 2026-05-31")], "date: 2026-05-31")
            .near_miss(&[("date: 2026-10-21", "date: 2026-06-01")]),
        // Code analysis every 90 days (local rule code_analysis_interval).
        case("reviews repository pipeline.last_analysis", ReviewOverdue, repository.0, repository.1.clone())
            .breaks(&[("last_analysis: 2026-10-01", "last_analysis: 2026-08-31")], "last_analysis")
            .near_miss(&[("last_analysis: 2026-10-01", "last_analysis: 2026-09-01")]),
        // A BGYS document in force, reviewed every 365 days (local rule bgys_review).
        case("reviews bgys_document reviews[].date", ReviewOverdue, bgys.0, bgys.1.clone())
            .breaks(&[("date: 2026-09-28", "date: 2025-11-29")], "date: 2025-11-29")
            .near_miss(&[("date: 2026-09-28", "date: 2025-11-30")]),
        // The security and management registers.
        case("actor_fields incident notifications[].by", UnauthorizedActor, incident.0, incident.1.clone())
            // A unit official is not the directorate's staff who report to the board.
            .breaks(&[("date: 2026-11-02, by: oguz.koc }", "date: 2026-11-02, by: mehmet.demir }")], "by: mehmet.demir")
            // DevOps staff report an incident they saw as well.
            .near_miss(&[("date: 2026-11-02, by: oguz.koc }", "date: 2026-11-02, by: tolga.sen }")]),
        case("actor_fields vulnerability closure.by", UnauthorizedActor, vulnerability.0, vulnerability.1.clone())
            // A unit official closing a hole in the directorate's system.
            .breaks(&vulnerability_closed_by!("mehmet.demir"), "closure:")
            // The assignee closes it.
            .near_miss(&vulnerability_closed_by!("elif.kara")),
        case("holders vulnerability assignee", InactivePerson, vulnerability.0, vulnerability.1.clone())
            .breaks(&[("assignee: elif.kara", "assignee: volkan.acar")], "assignee: volkan.acar")
            // Closed by the chief: the one who left keeps the closed hole.
            .near_miss(&{
                let [a, b] = vulnerability_closed_by!("burak.yildiz");
                [("assignee: elif.kara", "assignee: volkan.acar"), a, b]
            }),
        case("actor_fields audit participants[]", UnauthorizedActor, audit.0, audit.1.clone())
            .breaks(&[("[ayse.yilmaz, oguz.koc]", "[ayse.yilmaz, mehmet.demir]")], "participants:")
            .near_miss(&[("[ayse.yilmaz, oguz.koc]", "[ayse.yilmaz, tolga.sen]")]),
        case("actor_fields training need.by", UnauthorizedActor, training.0, training.1.clone())
            // Staff do not identify the service's training needs; the chief does (M7(1)(n)).
            .breaks(&[("by: burak.yildiz, reason", "by: elif.kara, reason")], "need:")
            .near_miss(&[("by: burak.yildiz, reason", "by: selin.aydin, reason")]),
        case(
            "actor_fields procurement specification.prepared_by",
            UnauthorizedActor,
            procurement.0,
            procurement.1.clone(),
        )
        .breaks(&[("prepared_by: elif.kara, date", "prepared_by: mehmet.demir, date")], "specification:")
        .near_miss(&[("prepared_by: elif.kara, date", "prepared_by: tolga.sen, date")]),
        case(
            "actor_fields procurement specification.checked_by",
            UnauthorizedActor,
            procurement.0,
            procurement.1.clone(),
        )
        // The chief of another service.
        .breaks(&[("checked_by: burak.yildiz", "checked_by: hakan.celik")], "specification:")
        // A service without its chief: the branch manager checks it (M11(1)(j)).
        .near_miss(&[("checked_by: burak.yildiz", "checked_by: selin.aydin")]),
        case(
            "actor_fields procurement specification.approved_by",
            UnauthorizedActor,
            procurement.0,
            procurement.1.clone(),
        )
        .breaks(&[("approved_by: selin.aydin", "approved_by: burak.yildiz")], "specification:")
        // The branch manager approves a specification she also checked.
        .near_miss(&[("checked_by: burak.yildiz", "checked_by: selin.aydin")]),
        case(
            "actor_fields procurement payments[].prepared_by",
            UnauthorizedActor,
            procurement.0,
            procurement.1.clone(),
        )
        .breaks(&[("prepared_by: elif.kara }", "prepared_by: mehmet.demir }")], "date: 2026-03-05")
        .near_miss(&[("prepared_by: elif.kara }", "prepared_by: tolga.sen }")]),
        case("actor_fields decision informed_by", UnauthorizedActor, decision.0, decision.1.clone())
            .breaks(&[("informed_by: selin.aydin", "informed_by: ayse.yilmaz")], "informed_by")
            .near_miss(&[("informed_by: selin.aydin\n", "")]),
        case("actor_fields decision approved_by", UnauthorizedActor, decision.0, decision.1.clone())
            .breaks(&[("approved_by: selin.aydin", "approved_by: burak.yildiz")], "approved_by")
            .near_miss(&[("informed_by: selin.aydin\n", "")]),
        case("actor_fields bgys_document approved_by", UnauthorizedActor, bgys.0, bgys.1.clone())
            .breaks(&[("approved_by: selin.aydin", "approved_by: oguz.koc")], "approved_by")
            // A chief approves the document of the service.
            .near_miss(&[("approved_by: selin.aydin", "approved_by: ayse.yilmaz")]),
        // A grant is reviewed by a chief, the branch manager or support staff; not by an
        // analyst.
        campaign_case("actor_fields campaign items[].reviewer where kind=grant")
            .breaks(
                &[("mehmet.demir, reviewer: ayse.yilmaz", "mehmet.demir, reviewer: zeynep.arslan")],
                "YTK-2026-0001, kind",
            )
            // Support staff review it, and decide it as its reviewer.
            .near_miss(&[
                ("mehmet.demir, reviewer: ayse.yilmaz", "mehmet.demir, reviewer: oguz.koc"),
                ("by: ayse.yilmaz, result", "by: oguz.koc, result"),
            ]),
        // DevOps keeps administrator accounts (M11(1)(g)): not the support chief.
        campaign_case("actor_fields campaign items[].reviewer where kind=account")
            .breaks(&[("tolga.sen, reviewer: selin.aydin", "tolga.sen, reviewer: ayse.yilmaz")], "acc-zabita-db, kind")
            // The branch manager reviews it and decides it.
            .near_miss(&[(
                "decisions:\n",
                "decisions:\n  - { date: 2026-11-20, by: selin.aydin, result: keep, item: acc-zabita-db }\n",
            )]),
        campaign_case("actor_fields campaign items[].reviewer where kind=repository")
            .breaks(&[("elif.kara, reviewer: tolga.sen", "elif.kara, reviewer: burak.yildiz")], "repo-zabita:elif.kara")
            // The branch manager reviews it.
            .near_miss(&[("elif.kara, reviewer: tolga.sen", "elif.kara, reviewer: selin.aydin")]),
        campaign_case("actor_fields campaign items[].reviewer where kind=webservice_client")
            .breaks(
                &[
                    ("app-bbys-zabita, reviewer: tolga.sen", "app-bbys-zabita, reviewer: hakan.celik"),
                    ("by: tolga.sen, result", "by: hakan.celik, result"),
                ],
                "wsc-zabita, kind",
            )
            .near_miss(&[
                ("app-bbys-zabita, reviewer: tolga.sen", "app-bbys-zabita, reviewer: selin.aydin"),
                ("by: tolga.sen, result", "by: selin.aydin, result"),
            ]),
        // A decision made by someone other than the item's reviewer.
        campaign_case("actor_fields campaign decisions[].by")
            .breaks(&[("by: tolga.sen, result", "by: mehmet.demir, result")], "item: wsc-zabita }")
            .near_miss(&[("  - { date: 2026-11-19, by: tolga.sen, result: keep, item: wsc-zabita }\n", "")]),
        case("holders bgys_document owner", InactivePerson, bgys.0, bgys.1.clone())
            .breaks(&[("owner: ayse.yilmaz", "owner: volkan.acar")], "owner: volkan.acar")
            // A withdrawn document keeps the owner who has left.
            .near_miss(&withdrawn),
    ]
}

/// `validate --format json` of the clean fixture with `file` holding `text`.
fn validate(case: &Case, text: &str) -> (Vec<String>, Option<i32>) {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    for (rel, extra) in &case.extra {
        repo.write(rel, extra);
    }
    repo.write(case.file, text);
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    (findings(&output), output.status.code())
}

#[test]
fn every_declared_pair_actor_field_holder_expiry_and_review_has_a_case() {
    let covered: BTreeSet<String> = cases().iter().map(|c| c.entry.to_string()).collect();
    let declared = declared();
    let missing: Vec<_> = declared.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&declared).collect();
    assert!(missing.is_empty(), "entries of workflows.yaml with no case: {missing:#?}");
    assert!(stale.is_empty(), "cases of entries workflows.yaml does not have: {stale:#?}");
}

#[test]
fn each_entry_fires_where_it_is_broken_and_not_on_its_near_miss() {
    let mut problems = Vec::new();
    for case in cases() {
        let what = format!("{} ({})", case.entry, case.rule);
        let broken = edit(&case.text, &case.breaks, &what);
        assert_eq!(broken.matches(case.at).count(), 1, "{what}: {:?} must be on one line of\n{broken}", case.at);
        let line = 1 + broken[..broken.find(case.at).unwrap()].matches('\n').count();
        let (got, _) = validate(&case, &broken);
        let expected = format!("{} {}:{line}:", case.rule.id(), case.file);
        if !got.iter().any(|f| f.starts_with(&expected)) {
            problems.push(format!("{what}: broken, expected `{expected}…`, got {got:#?}"));
        }
        // The near miss is lawful work: nothing at all to report.
        let lawful = edit(&case.text, &case.near_miss, &what);
        assert_ne!(lawful, broken, "{what}");
        let (got, status) = validate(&case, &lawful);
        if !got.is_empty() || status != Some(0) {
            problems.push(format!("{what}: near miss, expected no findings, got {got:#?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The clean fixture's request, closed straight from `in_progress` (no test) as `type`.
fn closed_untested(kind: &str) -> String {
    let request = good(REQUEST).replace("type: change", &format!("type: {kind}"));
    let request = request.replace("  - { date: 2026-04-01, by: elif.kara, status: testing }\n", "");
    let request = request.replace("by: oguz.koc, status: closed", "by: elif.kara, status: closed");
    request.replace(", tested_by: oguz.koc", "")
}

#[test]
fn a_type_that_needs_no_test_closes_without_one_and_a_change_does_not() {
    // M5(1)(c) lists testing among the steps "vb.": a training given (M13(1)(c)) or advice
    // given (M5(1)(l)) is closed by the person who gave it, untested.
    for kind in ["training", "consultancy", "data_update", "web_content"] {
        let lawful = case("closed untested", Rule::IllegalTransition, REQUEST, closed_untested(kind));
        let (got, status) = validate(&lawful, &lawful.text);
        assert_eq!((got, status), (Vec::new(), Some(0)), "a {kind} request closed without a test");
    }
    // A change to software in use is tested first (M13(1)(d)): the step and the missing
    // tester are both reported.
    let change = case("closed untested", Rule::IllegalTransition, REQUEST, closed_untested("change"));
    let (got, _) = validate(&change, &change.text);
    let line = |at: &str| 1 + change.text[..change.text.find(at).unwrap()].matches('\n').count();
    let fires = |rule: &str, line: usize| got.iter().any(|f| f.starts_with(&format!("{rule} {REQUEST}:{line}:")));
    assert!(fires("illegal-transition", line("status: closed }")), "{got:#?}");
    assert!(fires("state-fields", line("\nstatus: closed") + 1), "{got:#?}");
    assert_eq!(got.len(), 2, "{got:#?}");
}

#[test]
fn support_staff_forward_a_request_to_the_developer() {
    // M13(1)(a): support staff forward users' problems to the analyst or the developer.
    let forwarded = good(REQUEST).replace("by: burak.yildiz, status: assigned", "by: oguz.koc, status: assigned");
    let lawful = case("forwarded", Rule::UnauthorizedActor, REQUEST, forwarded);
    assert_eq!(validate(&lawful, &lawful.text), (Vec::new(), Some(0)));
    // The assignee does not assign the work to herself.
    let own = good(REQUEST).replace("by: burak.yildiz, status: assigned", "by: elif.kara, status: assigned");
    let unlawful = case("self-assigned", Rule::UnauthorizedActor, REQUEST, own);
    let (got, _) = validate(&unlawful, &unlawful.text);
    assert!(got.iter().any(|f| f.starts_with(&format!("unauthorized-actor {REQUEST}:18:"))), "{got:#?}");
}

/// The grant whose requester approved it (the local four-eyes pair), `validate --format
/// json` of it under a `defter.toml` of `config`: the findings' rules and messages, and
/// the exit status.
fn four_eyes_under(config: &str) -> (Vec<(String, String, String)>, Option<i32>, String) {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    repo.write(GRANT, &good(GRANT).replace("requested_by: mehmet.demir", "requested_by: burak.yildiz"));
    repo.write("defter.toml", config);
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let found = serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .ok()
        .and_then(|json| json["diagnostics"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("severity"), s("message"))
        })
        .collect();
    (found, output.status.code(), stderr)
}

#[test]
fn a_local_rules_finding_says_it_is_local_and_local_switches_it_off_or_down() {
    let (found, status, _) = four_eyes_under("");
    assert_eq!(status, Some(1), "{found:?}");
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, severity, message) = &found[0];
    assert_eq!((rule.as_str(), severity.as_str()), ("separation-of-duties", "error"));
    assert!(message.contains("grant_requester_not_approver") && message.contains("dört göz"), "{message}");

    let (found, status, _) = four_eyes_under("[local]\ngrant_requester_not_approver = \"warning\"\n");
    assert_eq!(status, Some(0), "{found:?}");
    assert_eq!(found.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(), ["warning"]);
    // [rules] does not raise a local rule set down to a warning back to an error.
    let config = "[local]\ngrant_requester_not_approver = \"warning\"\n[rules]\nseparation-of-duties = \"error\"\n";
    assert_eq!(four_eyes_under(config).0.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(), ["warning"]);

    let (found, status, _) = four_eyes_under("[local]\ngrant_requester_not_approver = \"off\"\n");
    assert!(found.is_empty() && status == Some(0), "{found:?}");
}

#[test]
fn the_directives_rules_are_never_switched_off() {
    // Not a local rule: a rule id, an actor, a made-up name.
    for name in ["separation-of-duties", "analysis_service", "no_such_rule"] {
        let (_, status, stderr) = four_eyes_under(&format!("[local]\n{name} = \"off\"\n"));
        assert_eq!(status, Some(2), "{name}: {stderr}");
        assert!(stderr.contains("not a local rule") && stderr.contains(name), "{stderr}");
    }
    let (_, status, _) = four_eyes_under("[local]\ngrant_requester_not_approver = \"error\"\n");
    assert_eq!(status, Some(2));
    // A rule that enforces directive entries may be lowered, not switched off.
    let (_, status, stderr) = four_eyes_under("[rules]\nunauthorized-actor = \"off\"\n");
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("cannot switch `unauthorized-actor` off"), "{stderr}");
    let (_, status, _) = four_eyes_under("[rules]\nunauthorized-actor = \"warning\"\n");
    assert_eq!(status, Some(1));
    // Every separation pair is a local rule: the whole rule may be switched off.
    let (found, status, _) = four_eyes_under("[rules]\nseparation-of-duties = \"off\"\n");
    assert!(found.is_empty() && status == Some(0), "{found:?}");
}

#[test]
fn every_entry_cites_an_article_or_names_a_declared_local_rule() {
    let w = workflows();
    for entry in w.entries() {
        match entry.local {
            Some(name) => assert!(w.local_rules.contains_key(name), "{}: `{name}` undeclared", entry.label),
            None => assert!(!entry.article.is_empty(), "{}", entry.label),
        }
    }
    let text = defter::load::rules::DEFAULTS[0].1;
    let schemas = Ruleset::from_source(|_| Ok(None)).unwrap().schemas;
    let undeclared = text.replacen("local: request_reopen", "local: no_such_local_rule", 1);
    let err = format!("{:#}", defter::load::rules::parse_workflows(&undeclared, &schemas).unwrap_err());
    assert!(err.contains("unknown local rule `no_such_local_rule`"), "{err}");
    let bare = text.replacen(", article: \"M5(1)(c)\", local: request_reopen", "", 1);
    let err = format!("{:#}", defter::load::rules::parse_workflows(&bare, &schemas).unwrap_err());
    assert!(err.contains("cites no article of the directive and names no local rule"), "{err}");
}

/// `validate --format json` of the clean fixture with `records` added and `config` as
/// defter.toml (when given).
fn validate_with(records: &[(&str, &str)], config: Option<&str>) -> Vec<String> {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    for (rel, text) in records {
        repo.write(rel, text);
    }
    if let Some(config) = config {
        repo.write("defter.toml", config);
    }
    findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]))
}

#[test]
fn an_audit_closes_when_every_finding_is_corrected_and_says_which_is_not() {
    let (path, text) = AUDIT;
    let two = text.replace(
        "done: 2026-06-03 }\n",
        "done: 2026-06-03 }\n  - { text: Gözden geçirme kaydı yok, responsible: ayse.yilmaz, action: Kayıt tutulacak }\n",
    );
    let line = 1 + two[..two.find("Gözden geçirme kaydı yok").unwrap()].matches('\n').count();
    assert_eq!(validate_with(&[(path, &two)], None), [format!("state-fields {path}:{line}:5")]);
    // Corrected: the audit closes.
    let done = two.replace("action: Kayıt tutulacak }", "action: Kayıt tutulacak, done: 2026-06-20 }");
    assert_eq!(validate_with(&[(path, &done)], None), Vec::<String>::new());
    // Held, not closed: an open corrective action is lawful.
    let held = two
        .replace("closure: { date: 2026-06-30, by: ayse.yilmaz }\n", "")
        .replace("status: closed\n", "status: held\n")
        .replace("  - { date: 2026-06-30, by: ayse.yilmaz, status: closed }\n", "");
    assert_eq!(validate_with(&[(path, &held)], None), Vec::<String>::new());
}

#[test]
fn an_incident_is_reported_to_the_superior_and_to_the_some_board() {
    let (path, text) = INCIDENT;
    let status = 1 + text[..text.find("\nstatus: reported").unwrap() + 1].matches('\n').count();
    for dropped in [
        "  - { to: superior, date: 2026-11-02, by: oguz.koc, recipient: ayse.yilmaz }\n",
        "  - { to: some_board, date: 2026-11-02, by: oguz.koc }\n",
    ] {
        let broken = text.replace(dropped, "");
        let status = status - 1;
        assert_eq!(validate_with(&[(path, &broken)], None), [format!("state-fields {path}:{status}:9")], "{dropped}");
    }
    // Detected, not yet reported: nothing is missing yet.
    let detected = text
        .replace("notifications:\n", "")
        .replace("  - { to: superior, date: 2026-11-02, by: oguz.koc, recipient: ayse.yilmaz }\n", "")
        .replace("  - { to: some_board, date: 2026-11-02, by: oguz.koc }\n", "")
        .replace("status: reported", "status: detected");
    assert_eq!(validate_with(&[(path, &detected)], None), Vec::<String>::new());
}

#[test]
fn a_vulnerability_is_late_by_its_severitys_days_which_the_directorate_sets() {
    let (path, text) = VULNERABILITY;
    // Found 2026-11-20, critical: 15 days by default, due 2026-12-05 — not late on 2026-11-30.
    assert_eq!(validate_with(&[(path, text)], None), Vec::<String>::new());
    let found = 1 + text[..text.find("found:").unwrap()].matches('\n').count();
    let late = [format!("deadline-missed {path}:{found}:8")];
    assert_eq!(validate_with(&[(path, &text.replace("found: 2026-11-20", "found: 2026-11-14"))], None), late);
    // The directorate's own days, in defter.toml.
    let week = "[deadlines.vulnerability]\ncritical = 7\n";
    assert_eq!(validate_with(&[(path, text)], Some(week)), late);
    // A local rule: switched off, it says nothing; closed holes are never late.
    let off = "[deadlines.vulnerability]\ncritical = 7\n[local]\nvulnerability_deadline = \"off\"\n";
    assert_eq!(validate_with(&[(path, text)], Some(off)), Vec::<String>::new());
    let closed = text
        .replace(
            "status: fixing\n",
            "closure: { date: 2026-11-25, by: elif.kara, summary: Düzeltildi }\nstatus: closed\n",
        )
        .replace("status: fixing }\n", "status: fixing }\n  - { date: 2026-11-25, by: elif.kara, status: closed }\n");
    assert_eq!(validate_with(&[(path, &closed)], Some(week)), Vec::<String>::new());
}

#[test]
fn a_grant_in_force_names_its_approver_by_the_directorates_rule_not_the_directives() {
    // M13(1)(ç) asks for a written instruction; the chief's approval before it is the
    // directorate's own step (`grant_approval`), so its field is required by that rule.
    let path = "records/grants/2026/YTK-2026-0001.yaml";
    let text = std::fs::read_to_string(fixtures().join("good").join(path)).unwrap();
    let unapproved = text.replace("approved_by: burak.yildiz\n", "");
    let status = 1 + unapproved[..unapproved.find("status: active").unwrap()].matches('\n').count();
    assert_eq!(validate_with(&[(path, &unapproved)], None), [format!("state-fields {path}:{status}:9")]);
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    repo.write(path, &unapproved);
    let out = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = json["diagnostics"][0]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("`approved_by`") && message.contains("local rule `grant_approval`"), "{message}");
    // The instruction stays the directive's: missing, it is an error whatever [local] says.
    let off = "[local]\ngrant_approval = \"off\"\n";
    assert_eq!(validate_with(&[(path, &unapproved)], Some(off)), Vec::<String>::new());
    let uninstructed =
        unapproved.replace("  signed_by: mehmet.demir }", " }").replace(", signed_by: mehmet.demir }", " }");
    assert_eq!(validate_with(&[(path, &uninstructed)], Some(off)), [format!("state-fields {path}:{status}:9")]);
}
