//! The site's words: a Turkish catalogue (the default) and an English one, chosen by
//! `[site] language` in defter.toml. Field and value labels come from the schemas'
//! Turkish `title` and `x-labels`; in English they fall back to the field names.

use std::collections::BTreeMap;

/// UI strings by key, in one language.
pub(crate) type Catalogue = BTreeMap<&'static str, &'static str>;

macro_rules! catalogue {
    ($($key:literal => $tr:literal, $en:literal;)*) => {
        /// The catalogue for `language` (`tr` or `en`).
        pub(crate) fn catalogue(language: &str) -> Catalogue {
            let english = language == "en";
            let mut c = Catalogue::new();
            $(c.insert($key, if english { $en } else { $tr });)*
            c
        }

        /// Every key as written, duplicates included (a duplicate would silently win).
        #[cfg(test)]
        const KEYS: &[&str] = &[$($key),*];
    };
}

catalogue! {
    "home" => "Ana sayfa", "Home";
    "requests" => "Talepler", "Requests";
    "projects" => "Projeler", "Projects";
    "grants" => "Yetkiler", "Permissions";
    "inventory" => "Envanter", "Inventory";
    "registers" => "Güvenlik ve yönetim", "Security and management";
    "deadline" => "kapatma süresi", "deadline";
    "date" => "Tarih", "Date";
    "people" => "Kişiler", "People";
    "units" => "Birimler", "Units";
    "calendar" => "Süre takvimi", "Expiry calendar";
    "reports" => "Raporlar", "Reports";
    "findings" => "Bulgular", "Findings";
    "rules" => "Kurallar", "Rules";
    "search" => "Ara", "Search";
    "search_placeholder" => "Kayıt, kişi, birim ara…", "Search records, people, units…";
    "search_needs_js" => "Arama için JavaScript gerekir; kayıtlara menüden de ulaşabilirsiniz.", "Search needs JavaScript; every record is also reachable from the menu.";
    "no_results" => "Sonuç bulunamadı.", "No results.";
    "results_found" => "sonuç bulundu", "results found";
    "skip" => "İçeriğe geç", "Skip to content";
    "menu" => "Menü", "Menu";
    "built_from" => "Derleme", "Built from";
    "as_of" => "Tarih", "As of";
    "commit" => "commit", "commit";
    "build_info" => "Derleme: commit ve tarih", "Built from: commit and date";
    "about_build" => "Bu derleme", "About this build";
    "build_intro" => "Bu site, aşağıdaki commit'teki kayıtlardan derlendi. Geciken, süresi dolan ve gözden geçirilmesi gereken işler aşağıdaki tarihe göre işaretlendi.", "This site was built from the records at the commit below. Overdue and expiring work, and reviews due, are marked as of the date below.";
    "fields" => "Bilgiler", "Details";
    "campaign_items" => "Kalemler ve kararlar", "Items and decisions";
    "campaign_progress" => "Karar verilen", "Decided";
    "campaign_all_decided" => "her kalem için karar verildi", "every item is decided";
    "campaign_csv" => "denetim için CSV", "CSV for the auditor";
    "campaign_item" => "Kalem", "Item";
    "campaign_kind" => "Tür", "Kind";
    "campaign_holder" => "Sahibi", "Holder";
    "campaign_reviewer" => "Gözden geçiren", "Reviewer";
    "campaign_access" => "Erişim", "Access";
    "campaign_change" => "Son kampanyadan beri", "Since the last campaign";
    "campaign_decision" => "Karar", "Decision";
    "campaign_decided_by" => "Karar veren", "Decided by";
    "campaign_note" => "Not", "Note";
    "campaign_undecided" => "Karar bekliyor", "Awaiting decision";
    "campaign_removed" => "Son kampanyadan beri kaldırılan erişimler", "Access removed since the last campaign";
    "campaign_removed_change" => "Kaldırıldı", "Removed";
    "description" => "Açıklama", "Description";
    "related" => "İlişkili kayıtlar", "Related records";
    "related_newest" => "Gösterilen son kayıtlar:", "Latest shown:";
    "related_shown" => "Gösterilen kayıtlar:", "Shown:";
    "related_more" => "kayıt daha", "more";
    "related_export" => "tümü dışa aktarım dosyasında (CSV)", "all of them in the export (CSV)";
    "see_all" => "tümünün listesi", "the list of all of them";
    "history" => "Değişiklik geçmişi", "Change history";
    "no_history" => "Bu kayıt için git geçmişi yok.", "No git history for this record.";
    "created" => "oluşturuldu", "created";
    "moved" => "taşındı", "moved";
    "deleted" => "silindi", "deleted";
    "text_changed" => "metin değişti", "text changed";
    "entry_added" => "eklendi", "added";
    "entry_changed" => "değiştirildi", "changed";
    "entries_more" => "girdi daha eklendi ya da değiştirildi", "more entries added or changed";
    "entries_removed" => "girdi silindi", "entries removed";
    "when" => "Tarih", "When";
    "who" => "Kim", "Who";
    "what" => "Ne değişti", "What changed";
    "no_findings" => "Bulgu yok.", "No findings.";
    "record_findings" => "Bu kayıttaki bulgular", "Findings on this record";
    "error" => "Hata", "Error";
    "warning" => "Uyarı", "Warning";
    "rule" => "Kural", "Rule";
    "article" => "Madde", "Article";
    "file" => "Dosya", "File";
    "line_n" => "{n}. satır", "line {n}";
    "message" => "Açıklama", "Message";
    "what_to_do" => "Yapılacak", "What to do";
    "owner" => "Sahip", "Owner";
    "count" => "Sayı", "Count";
    "total" => "Toplam", "Total";
    "id" => "No", "ID";
    "title" => "Başlık", "Title";
    "status" => "Durum", "Status";
    "phase" => "Aşama", "Phase";
    "attention" => "Bugün dikkat isteyenler", "Needs attention today";
    "overdue_requests" => "Süresi geçmiş talepler", "Overdue requests";
    "expiring_items" => "Süresi dolan / dolmak üzere olanlar", "Expired or expiring";
    "reviews_due" => "Gözden geçirme zamanı gelenler", "Reviews due";
    "reviews_soon" => "Yaklaşan gözden geçirmeler", "Reviews coming up";
    "recent_changes" => "Son değişiklikler", "Recent changes";
    "no_recent_changes" => "Git geçmişinde kayıtları değiştiren bir commit yok.", "No commit in the git history changed a record.";
    "open_by_service" => "Servislere göre açık talepler", "Open requests by service";
    "requests_by_status" => "Durumlarına göre talepler", "Requests by status";
    "nothing" => "Yok.", "None.";
    "board" => "Pano", "Board";
    "boards" => "Servis panoları", "Service boards";
    "filter_by" => "Filtrele", "Filter";
    "all_requests" => "Tüm talepler", "All requests";
    "our_requests" => "Birimin talepleri", "Our requests";
    "workload" => "İş yükü", "Workload";
    "workload_intro" => "Her kişinin üzerindeki açık işler: görevli olduğu açık talepler ve analist ya da geliştirici olduğu açık projeler. Kişinin adı, sayfasındaki açık işler listesine götürür.", "Each person's open work: the open requests assigned to them and the open projects they are analyst or developer of. A name leads to the list on the person's page.";
    "open_work" => "Açık işler", "Open work";
    "next_steps" => "Sonraki adımlar", "Next steps";
    "edit_on_forge" => "Dosyayı git sunucusunda düzenle", "Edit the file on the forge";
    "next_steps_intro" => "Kaydın şimdiki durumundan atılabilecek adımlar, kimlerin atabileceği ve adımı atan komut (kayıtların bulunduğu depoda çalıştırılır).", "The steps this record's state allows next, who may take each, and the command that takes it (run in the records repository).";
    "who_may" => "Atabilecekler", "Who may";
    "anyone" => "herkes", "anyone";
    "nobody" => "etkin kimse yok", "no active person";
    "more_people" => "kişi daha", "more";
    "step_needs" => "Gerekenler", "Needs";
    "step_first" => "Önce", "First";
    "command" => "Komut", "Command";
    "open_requests" => "Açık talepler", "Open requests";
    "open_projects" => "Açık projeler", "Open projects";
    "overdue" => "Gecikmiş", "Overdue";
    "person" => "Kişi", "Person";
    "work_assignee" => "Görevli", "Assignee";
    "work_analyst" => "Analist", "Analyst";
    "work_developer" => "Geliştirici", "Developer";
    "reviews_export" => "Gecikmiş ve yaklaşan bütün gözden geçirmeler (yetkiler, hesaplar, depolar, web servis istemcileri, süreklilik testleri)", "Every review overdue or coming up (grants, accounts, repositories, web-service clients, continuity tests)";
    "who_holds_work" => "Açık işler kimde", "Who holds open work";
    "pages" => "Sayfalar", "Pages";
    "page" => "Sayfa", "Page";
    "page_of" => "Sayfa {n} / {total}", "Page {n} of {total}";
    "previous" => "Önceki", "Previous";
    "next" => "Sonraki", "Next";
    "board_more" => "Gösterilen: en yeni {shown} / {count}.", "Showing the latest {shown} of {count}.";
    "board_recent_none" => "Son {days} günde bu duruma geçen talep yok; toplam {count}.", "None reached this state in the last {days} days; {count} in all.";
    "board_recent" => "Gösterilen: son {days} günde bu duruma geçen {shown} / {count}.", "Showing the {shown} of {count} that reached this state in the last {days} days.";
    "see_all_status" => "Tümünü gör: «{status}» durumundaki talepler, tüm servisler ({n})", "See all: {status} requests of every service ({n})";
    "unit" => "Birim", "Unit";
    "type" => "Tür", "Type";
    "priority" => "Öncelik", "Priority";
    "service" => "Servis", "Service";
    "assignee" => "Görevli", "Assignee";
    "received" => "Geliş", "Received";
    "due" => "Son tarih", "Due";
    "portfolio" => "Proje portföyü", "Project portfolio";
    "sections" => "Proje dokümanı", "Project document";
    "matrix" => "Yetki matrisi", "Permission matrix";
    "matrix_by_person" => "Matris, tablo olarak gösterilemeyecek kadar büyük olduğundan kişi kişi listelenmiştir; her hücresi dışa aktarımda yer alır.", "Too large to show as a table, so listed person by person; the export holds every cell.";
    "system" => "Sistem", "System";
    "grantee" => "Yetki sahibi", "Grantee";
    "role" => "Rol", "Role";
    "frozen_revoked" => "Dondurulmuş ve kaldırılmış yetkiler", "Frozen and revoked grants";
    "leavers_access" => "Ayrılanların süren erişimleri", "Access still held by people who left";
    "access_title" => "Erişimler", "Access";
    "access_timeline" => "Kim ne zaman hangi erişime sahipti", "Who held which access when";
    "access_timeline_desc" => "{n} yetkinin kendi tarihli geçmişine göre dönemleri, {from} ile {to} arası: etkin ve dondurulmuş dönemler çubuk, geri alma ya da süre bitimi dikey çizgi; aynı bilgi aşağıdaki tabloda", "The periods of {n} grants by their own dated history, {from} to {to}: active and frozen periods as bars, a revocation or expiry as a vertical line; the same in the table below";
    "access_now" => "bugün", "today";
    "access_periods" => "Dönemler", "Periods";
    "access_party" => "Kişi ya da sistem", "Person or system";
    "access_role" => "Rol", "Role";
    "access_state" => "Bugünkü durum", "State today";
    "access_grant" => "Yetki", "Grant";
    "access_holds" => "Sahip olduğu erişimler", "Access held now";
    "access_held" => "Geçmişte sahip olduğu erişimler", "Access held before";
    "access_table" => "Erişim dönemleri (tablo)", "Access periods (table)";
    "expiry_calendar" => "Önümüzdeki aylarda sona erenler", "Ending in the coming months";
    "ends" => "Bitiş", "Ends";
    "item" => "Kayıt", "Item";
    "export" => "Dışa aktar", "Export";
    "feed" => "Değişiklik akışı (Atom)", "Change feed (Atom)";
    "ical" => "Takvime abone ol (iCalendar)", "Subscribe to the calendar (iCalendar)";
    "own_feeds" => "Takvim ve akış", "Calendar and feed";
    "own_feeds_intro" => "Bu kişinin elindeki kayıtlar: görevli, analist ya da geliştirici olduğu işler; sahibi olduğu, amiri olduğu birime ait olan, zimmetinde ya da kullanımında olan kayıtlar; kendi yetkileri ve sahibi olduğu sistemlerdeki yetkiler.", "What this person holds: the work they are the assignee, analyst or developer of; what they own, what the unit they head owns, what is in their keeping or use; their grants and the grants on the systems they own.";
    "person_ical" => "Son tarihleri takvime ekle (iCalendar)", "Add the due dates to a calendar (iCalendar)";
    "person_feed" => "Elindeki kayıtlardaki değişiklikler (Atom)", "Changes to what they hold (Atom)";
    "person_ical_name" => "Son tarihler", "Due dates";
    "person_feed_name" => "Elindeki kayıtlardaki değişiklikler", "Changes to what they hold";
    "months" => "Aylar", "Months";
    "inflow_outflow" => "Aylık gelen ve kapanan talepler", "Requests received and closed per month";
    "backlog" => "Açık talep sayısı (kayıtların tarihçesinden)", "Open requests over time (from the records' histories)";
    "backlog_git" => "Git geçmişine göre", "By git history";
    "backlog_disagree" => "Git geçmişi {n} ayda kayıtların tarihçesinden farklı bir sayı veriyor (tabloda ≠ ile işaretli; örneğin kayıtlar tek bir commit ile aktarıldıysa): {months}.", "In {n} months git's history gives another count than the records' histories (marked ≠ in the table; records imported in one commit, for one): {months}.";
    "median_close" => "Servislere göre ortanca kapanma süresi (gün)", "Median days to close by service";
    "on_time" => "Son tarihine kadar kapanan taleplerin oranı", "Share closed by the due date";
    "month" => "Ay", "Month";
    "open_requests_count" => "Açık talep", "Open requests";
    "median_days" => "Ortanca süre (gün)", "Median (days)";
    "closed_requests" => "Kapanan talep", "Closed requests";
    "closed_by_due" => "Son tarihine kadar kapanan", "Closed by the due date";
    "closed_with_due" => "Son tarihi olan kapanan talep", "Closed requests with a due date";
    "request_count" => "Talep", "Requests";
    "by_unit" => "Birimlere göre talepler", "Requests by unit";
    "by_type" => "Türlerine göre talepler", "Requests by type";
    "received_label" => "Gelen", "Received";
    "closed_label" => "Kapanan", "Closed";
    "days" => "gün", "days";
    "yes" => "Evet", "Yes";
    "no" => "Hayır", "No";
    "rules_intro" => "Her kural yönergenin bir maddesini uygular. Bulgular her derlemede yeniden hesaplanır.", "Each rule enforces an article of the directive. Findings are recomputed on every build.";
    "by_rule" => "Kurala göre", "By rule";
    "by_owner" => "Sorumluya göre", "By owner";
    "directive" => "Yönerge", "Directive";
    "directive_intro" => "Yönergenin her maddesi, fıkrası ve bendi; her birini defter'de neyin taşıdığı (kayıt türü, alan, durum, geçiş, kural, rapor) ya da neden yazılımda karşılığı olmadığı. Bu sayfa schemas/directive.yaml, schemas/workflows.yaml, şemalar ve kurallardan üretilir.", "Every article, paragraph and item of the directive, with what carries it in defter (kind, field, state, transition, rule, report) or why it has no software consequence. Made from schemas/directive.yaml, schemas/workflows.yaml, the schemas and the rules.";
    "approved_on" => "Olur tarihi", "Approved on";
    "coverage" => "Kapsam", "Coverage";
    "coverage_line" => "Yazılımda karşılığı olan {with} bentten {carried} tanesini defter taşıyor (%{percent}); {local} tanesini yalnız yerel kurallar. {none} bendin yazılımda karşılığı yok.", "Of the {with} items with a software consequence, defter carries {carried} ({percent}%), {local} of them only by local rules. {none} items have no software consequence.";
    "not_carried" => "Karşılığı olup defter'in henüz taşımadığı bentler", "Items with a consequence that defter does not carry yet";
    "not_carried_item" => "Yazılımda karşılığı var; defter henüz taşımıyor.", "Has a software consequence; defter does not carry it yet.";
    "no_consequence" => "Yazılımda karşılığı yok", "No software consequence";
    "carried_by" => "Taşıyan", "Carried by";
    "whole_article" => "Maddenin bütününü taşıyan", "Carried as a whole by";
    "whole_paragraph" => "Fıkranın bütününü taşıyan", "Carried as a whole by";
    "articles" => "Maddeler", "Articles";
    "article_n" => "MADDE {n}", "ARTICLE {n}";
    "local_rule" => "yerel kural", "local rule";
}

/// A field name as a label when no schema title exists: `tested_by` → `Tested by`.
pub(crate) fn humanize(key: &str) -> String {
    let text = key.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_written_once_and_has_both_languages() {
        let mut seen = std::collections::BTreeSet::new();
        for key in KEYS {
            assert!(seen.insert(key), "`{key}` is in the catalogue twice");
        }
        assert_eq!(catalogue("tr").len(), KEYS.len());
        assert_eq!(catalogue("en").len(), KEYS.len());
    }
}
