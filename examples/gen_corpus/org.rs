//! The organisation: the municipality's units, the directorate's six services with their
//! chiefs and staff, the requesting departments with their officials, contractors, and
//! the people (a few of whom have left).

use std::collections::HashSet;

use jiff::civil::Date;

use crate::rng::{Rng, plus};
use crate::value::{V, ids, plain, text};
use crate::{Cut, Rec, Ver};

const FIRST: &[&str] = &[
    "Ayşe", "Mehmet", "Fatma", "Ahmet", "Zeynep", "Mustafa", "Elif", "Emre", "Hakan", "Selin", "Burak", "Gizem",
    "Oğuz", "İrem", "Tolga", "Özge", "Murat", "Deniz", "Kemal", "Nur", "Serkan", "Sevgi", "Volkan", "Yusuf", "Cem",
    "İpek", "Levent", "Mert", "Ozan", "İsmail", "Ali", "Şule", "Gökhan", "Çağla", "Barış", "Ece", "Hülya", "Onur",
    "Pınar", "Ümit",
];

const LAST: &[&str] = &[
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Polat",
    "Erdem",
    "Güneş",
    "Tekin",
    "Acar",
    "Bulut",
    "Oral",
    "Taş",
    "Ergin",
    "Aksoy",
    "Güler",
    "Sarı",
    "Uçar",
    "Korkmaz",
    "Bozkurt",
];

const DEPARTMENTS: &[(&str, &str)] = &[
    ("zabita-dairesi", "Zabıta Dairesi Başkanlığı"),
    ("imar-dairesi", "İmar ve Şehircilik Dairesi Başkanlığı"),
    ("fen-isleri-dairesi", "Fen İşleri Dairesi Başkanlığı"),
    ("insan-kaynaklari-dairesi", "İnsan Kaynakları Dairesi Başkanlığı"),
    ("mali-hizmetler-dairesi", "Mali Hizmetler Dairesi Başkanlığı"),
    ("kultur-sanat-dairesi", "Kültür ve Sanat Dairesi Başkanlığı"),
    ("itfaiye-dairesi", "İtfaiye Dairesi Başkanlığı"),
    ("park-bahceler-dairesi", "Park ve Bahçeler Dairesi Başkanlığı"),
    ("ulasim-dairesi", "Ulaşım Dairesi Başkanlığı"),
    ("cevre-dairesi", "İklim Değişikliği ve Çevre Koruma Kontrol Dairesi Başkanlığı"),
    ("saglik-dairesi", "Sağlık Dairesi Başkanlığı"),
    ("sosyal-hizmetler-dairesi", "Sosyal Hizmetler Dairesi Başkanlığı"),
    ("emlak-dairesi", "Emlak Yönetimi Dairesi Başkanlığı"),
    ("destek-hizmetleri-dairesi", "Destek Hizmetleri Dairesi Başkanlığı"),
    ("hukuk-dairesi", "Hukuk Müşavirliği"),
    ("basin-dairesi", "Basın Yayın ve Halkla İlişkiler Dairesi Başkanlığı"),
    ("etut-proje-dairesi", "Etüt ve Projeler Dairesi Başkanlığı"),
    ("kentsel-donusum-dairesi", "Kentsel Dönüşüm Dairesi Başkanlığı"),
    ("tarim-dairesi", "Tarımsal Hizmetler Dairesi Başkanlığı"),
    ("genclik-spor-dairesi", "Gençlik ve Spor Hizmetleri Dairesi Başkanlığı"),
    ("afet-isleri-dairesi", "Afet İşleri Dairesi Başkanlığı"),
    ("deniz-ulasim-dairesi", "Deniz Ulaşımı Dairesi Başkanlığı"),
    ("ticaret-dairesi", "Ticaret Dairesi Başkanlığı"),
    ("yazi-isleri-dairesi", "Yazı İşleri ve Kararlar Dairesi Başkanlığı"),
    ("teftis-kurulu", "Teftiş Kurulu Başkanlığı"),
    ("muhtarliklar-dairesi", "Muhtarlıklar Dairesi Başkanlığı"),
    ("kadin-calismalari-dairesi", "Kadın Çalışmaları Dairesi Başkanlığı"),
    ("dis-iliskiler-dairesi", "Dış İlişkiler Dairesi Başkanlığı"),
    ("izsu-genel-mudurlugu", "İZSU Genel Müdürlüğü"),
    ("eshot-genel-mudurlugu", "ESHOT Genel Müdürlüğü"),
];

/// The directorate's services: id, name, function, share of requests.
pub const SERVICES: &[(&str, &str, &str, u32)] = &[
    ("yazilim-analiz-servisi", "Analiz Servisi", "analysis", 15),
    ("yazilim-gelistirme-servisi", "Yazılım Geliştirme Servisi", "development", 40),
    ("yazilim-arge-servisi", "Ar-Ge Servisi", "rnd", 5),
    ("yazilim-destek-servisi", "Destek Servisi", "support", 25),
    ("yazilim-devops-servisi", "DevOps Servisi", "devops", 14),
    ("yazilim-idari-isler-servisi", "İdari İşler Servisi", "administration", 1),
];

pub const DIRECTORATE: &str = "yazilim-sube-mudurlugu";

pub struct Person {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub title: &'static str,
    pub roles: Vec<&'static str>,
    pub left_on: Option<Date>,
}

impl Person {
    pub fn email(&self) -> String {
        format!("{}@izmir.bel.tr", self.id)
    }
}

pub struct Service {
    pub unit: String,
    pub function: &'static str,
    pub chief: usize,
    pub staff: Vec<usize>,
}

impl Service {
    /// Staff and chief: who may act for the service.
    pub fn members(&self) -> Vec<usize> {
        let mut all = self.staff.clone();
        all.push(self.chief);
        all
    }
}

pub struct Requesting {
    pub unit: String,
    pub name: String,
    pub official: usize,
    pub people: Vec<usize>,
}

pub struct Org {
    pub people: Vec<Person>,
    pub services: Vec<Service>,
    pub requesting: Vec<Requesting>,
    pub contractors: Vec<String>,
    pub branch_manager: usize,
    pub department_head: usize,
    pub units: Vec<Rec>,
}

impl Org {
    pub fn service(&self, function: &str) -> &Service {
        self.services.iter().find(|s| s.function == function).expect("every function has a service")
    }

    pub fn id(&self, person: usize) -> &str {
        &self.people[person].id
    }

    pub fn active(&self, person: usize) -> bool {
        self.people[person].left_on.is_none()
    }
}

struct Names {
    taken: HashSet<String>,
}

impl Names {
    fn person(&mut self, rng: &mut Rng) -> (String, String) {
        let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
        let base = format!("{}.{}", ascii(first), ascii(last));
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}{n}");
            n += 1;
        }
        (id, format!("{first} {last}"))
    }
}

/// Turkish letters folded to the ASCII an id uses.
pub fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ç' | 'Ç' => 'c',
            'ğ' | 'Ğ' => 'g',
            'ı' | 'I' | 'İ' => 'i',
            'ö' | 'Ö' => 'o',
            'ş' | 'Ş' => 's',
            'ü' | 'Ü' => 'u',
            'â' => 'a',
            c => c.to_ascii_lowercase(),
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Builds an organisation sized for `records` records; `start` is when the
/// repository begins, `end` the as-of date.
pub fn build(rng: &mut Rng, records: usize, start: Date, end: Date) -> Org {
    let mut names = Names { taken: HashSet::new() };
    let mut people = Vec::new();
    let mut add = |rng: &mut Rng, unit: &str, title: &'static str, roles: Vec<&'static str>| {
        let (id, name) = names.person(rng);
        people.push(Person { id, name, unit: unit.to_string(), title, roles, left_on: None });
        people.len() - 1
    };
    let department_head = add(rng, "bilgi-islem-dairesi", "Daire Başkanı", vec!["department_head"]);
    let branch_manager = add(rng, DIRECTORATE, "Şube Müdürü", vec!["branch_manager"]);
    let staff_per_service = 3 + records / 6000;
    let services: Vec<Service> = SERVICES
        .iter()
        .map(|(id, _, function, _)| {
            let chief = add(rng, id, "Servis Şefi", vec!["service_chief"]);
            let staff = (0..staff_per_service).map(|_| add(rng, id, "Çözümleyici", vec!["staff"])).collect();
            Service { unit: (*id).to_string(), function, chief, staff }
        })
        .collect();
    let extra = records / 2500;
    let mut requesting: Vec<Requesting> = DEPARTMENTS
        .iter()
        .map(|(id, name)| Requesting { unit: (*id).into(), name: (*name).into(), official: 0, people: vec![] })
        .collect();
    for k in 0..extra {
        let (parent, name) = DEPARTMENTS[k % DEPARTMENTS.len()];
        let short = name.split(" Dairesi").next().unwrap_or(name);
        requesting.push(Requesting {
            unit: format!("{}-sube-{}", parent.trim_end_matches("-dairesi"), k / DEPARTMENTS.len() + 1),
            name: format!("{short} {}. Şube Müdürlüğü", k / DEPARTMENTS.len() + 1),
            official: 0,
            people: vec![],
        });
    }
    let per_unit = 2 + records / 8000;
    for r in &mut requesting {
        r.official = add(rng, &r.unit, "Daire Başkanı", vec!["unit_official"]);
        r.people = (0..per_unit).map(|_| add(rng, &r.unit, "Şef", vec!["unit_official"])).collect();
    }
    for r in &requesting {
        for &p in &r.people {
            if rng.chance(0.03) {
                people[p].left_on = Some(rng.after(start, 200, (end - start).get_days() as i64 - 30));
            }
        }
    }
    let contractors = vec!["ege-bilisim".to_string(), "kent-yazilim".to_string(), "bulut-teknoloji".to_string()];
    let mut org = Org { people, services, requesting, contractors, branch_manager, department_head, units: vec![] };
    org.units = unit_records(&org, extra, start);
    org
}

fn unit(id: &str, name: &str, ty: &str, function: Option<&str>, parent: Option<&str>, head: Option<&str>) -> V {
    let mut f = vec![("id", plain(id)), ("name", text(name)), ("type", plain(ty))];
    if let Some(function) = function {
        f.push(("function", plain(function)));
    }
    if let Some(parent) = parent {
        f.push(("parent", plain(parent)));
    }
    if let Some(head) = head {
        f.push(("head", plain(head)));
    }
    V::Map(f)
}

fn unit_records(org: &Org, extra: usize, start: Date) -> Vec<Rec> {
    let mut out = vec![
        unit("izmir-bb", "İzmir Büyükşehir Belediyesi", "presidency", None, None, None),
        unit("genel-sekreterlik", "Genel Sekreterlik", "general_secretariat", None, Some("izmir-bb"), None),
        unit(
            "bilgi-islem-dairesi",
            "Bilgi İşlem Dairesi Başkanlığı",
            "department",
            None,
            Some("genel-sekreterlik"),
            Some(org.id(org.department_head)),
        ),
        unit(
            DIRECTORATE,
            "Yazılım Şube Müdürlüğü",
            "directorate",
            None,
            Some("bilgi-islem-dairesi"),
            Some(org.id(org.branch_manager)),
        ),
    ];
    for (s, (_, name, function, _)) in org.services.iter().zip(SERVICES) {
        out.push(unit(&s.unit, name, "service", Some(function), Some(DIRECTORATE), Some(org.id(s.chief))));
    }
    for (i, r) in org.requesting.iter().enumerate() {
        let (ty, parent) = if i < DEPARTMENTS.len() {
            let affiliate = r.unit.ends_with("genel-mudurlugu");
            (if affiliate { "affiliate" } else { "department" }, "genel-sekreterlik".to_string())
        } else {
            ("directorate", DEPARTMENTS[(i - DEPARTMENTS.len()) % DEPARTMENTS.len()].0.to_string())
        };
        out.push(unit(&r.unit, &r.name, ty, None, Some(&parent), Some(org.id(r.official))));
    }
    let _ = extra;
    for c in &org.contractors {
        let name = format!("{} Yazılım A.Ş.", c.split('-').map(capitalise).collect::<Vec<_>>().join(" "));
        out.push(unit(c, &name, "contractor", None, None, None));
    }
    let author = org.branch_manager;
    out.into_iter()
        .map(|fields| {
            let id = fields.get("id").map(V::as_str).unwrap_or_default().to_string();
            Rec {
                path: format!("records/org/units/{id}.yaml"),
                kind: "unit",
                fields,
                body: None,
                versions: vec![Ver { date: start, author, cut: Cut::Final }],
            }
        })
        .collect()
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The people as records; a person who left has a second version that records it.
pub fn people_records(org: &Org, rng: &mut Rng, start: Date) -> Vec<Rec> {
    org.people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut f = vec![
                ("id", plain(&p.id)),
                ("name", text(&p.name)),
                ("title", text(p.title)),
                ("unit", plain(&p.unit)),
                ("roles", ids(p.roles.iter())),
                ("email", plain(p.email())),
                ("git_emails", ids([p.email()])),
                ("phone", text(format!("0232 293 {:02} {:02}", rng.below(100), rng.below(100)))),
            ];
            let mut versions = vec![Ver { date: start, author: org.branch_manager, cut: Cut::Final }];
            match p.left_on {
                None => f.push(("active", V::Bool(true))),
                Some(left) => {
                    f.push(("active", V::Bool(false)));
                    f.push(("left_on", plain(left)));
                    versions[0].cut = Cut::Swap(&[("active", true)], &["left_on"]);
                    versions.push(Ver { date: plus(left, 1), author: org.branch_manager, cut: Cut::Final });
                }
            }
            let _ = i;
            Rec {
                path: format!("records/org/people/{}.yaml", p.id),
                kind: "person",
                fields: V::Map(f),
                body: None,
                versions,
            }
        })
        .collect()
}
