package gen

// The pools below are what generated tracks are made of. They are fixed
// lists, so a Config alone decides the output.

// process is the template of a track: who the two sides are and where the
// talks are usually held.
type process struct {
	id, title string
	sides     [2]string // party ids
	zone      string
}

var processes = []process{
	{"istanbul-talks", "Russia–Ukraine talks in Istanbul", [2]string{"russia", "ukraine"}, "Europe/Istanbul"},
	{"black-sea-grain", "Black Sea: grain and shipping talks", [2]string{"russia", "ukraine"}, "Europe/Kyiv"},
	{"gaza-ceasefire", "Gaza ceasefire and hostage talks", [2]string{"israel", "hamas"}, "Asia/Qatar"},
	{"jeddah-sudan", "Jeddah talks on Sudan", [2]string{"saf", "rsf"}, "Asia/Riyadh"},
	{"iran-nuclear", "Iran nuclear talks", [2]string{"iran", "usa"}, "Asia/Muscat"},
	{"south-caucasus", "Armenia–Azerbaijan peace treaty", [2]string{"armenia", "azerbaijan"}, "Europe/Moscow"},
	{"belgrade-pristina", "Belgrade–Pristina dialogue", [2]string{"serbia", "kosovo"}, "Europe/Berlin"},
	{"great-lakes", "DRC–Rwanda peace process", [2]string{"drc", "rwanda"}, "America/New_York"},
	{"korean-peninsula", "Korean Peninsula security talks", [2]string{"south-korea", "north-korea"}, "Asia/Tokyo"},
	{"kashmir-backchannel", "India–Pakistan back-channel", [2]string{"india", "pakistan"}, "Asia/Kolkata"},
	{"geneva-discussions", "Geneva International Discussions", [2]string{"georgia", "russia"}, "Europe/Zurich"},
	{"yemen-roadmap", "Yemen roadmap talks", [2]string{"saudi-arabia", "houthis"}, "UTC"},
	{"nile-dam", "Grand Ethiopian Renaissance Dam talks", [2]string{"ethiopia", "egypt"}, "Africa/Cairo"},
	{"transnistria", "Transnistria settlement (5+2)", [2]string{"moldova", "transnistria"}, "Europe/London"},
}

// zones are the track and override timezones: DST zones on both
// hemispheres, zones without DST, and odd offsets (+05:30, +05:45, a
// half-hour DST shift).
var zones = []string{
	"Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow", "America/New_York",
	"Asia/Riyadh", "Europe/Berlin", "UTC", "Asia/Tokyo", "Europe/London",
	"Asia/Qatar", "Africa/Cairo", "Europe/Zurich", "Asia/Kolkata",
	"Asia/Kathmandu", "Australia/Lord_Howe", "America/Sao_Paulo",
}

// region picks the name pool for a party's people.
type region int

const (
	western region = iota
	russian
	ukrainian
	eastern // the Caucasus, the Balkans, Moldova: Latin script with diacritics
	turkic
	arabic
	asian
	african
)

type partyInfo struct {
	id, name string
	region   region
}

var parties = []partyInfo{
	{"russia", "Russian Federation", russian},
	{"ukraine", "Ukraine", ukrainian},
	{"turkiye", "Türkiye", turkic},
	{"usa", "United States", western},
	{"eu", "European Union", western},
	{"un", "United Nations", western},
	{"qatar", "Qatar", arabic},
	{"saudi-arabia", "Saudi Arabia", arabic},
	{"egypt", "Egypt", arabic},
	{"israel", "Israel", western},
	{"hamas", "Hamas", arabic},
	{"iran", "Iran", arabic},
	{"uae", "United Arab Emirates", arabic},
	{"oman", "Oman", arabic},
	{"china", "People’s Republic of China", asian},
	{"india", "India", asian},
	{"pakistan", "Pakistan", asian},
	{"armenia", "Armenia", eastern},
	{"azerbaijan", "Azerbaijan", turkic},
	{"serbia", "Serbia", eastern},
	{"kosovo", "Kosovo", western},
	{"saf", "Sudanese Armed Forces", arabic},
	{"rsf", "Rapid Support Forces", arabic},
	{"ethiopia", "Ethiopia", african},
	{"drc", "Democratic Republic of the Congo", african},
	{"rwanda", "Rwanda", african},
	{"holy-see", "Holy See", western},
	{"norway", "Norway", western},
	{"switzerland", "Switzerland", western},
	{"japan", "Japan", asian},
	{"south-korea", "Republic of Korea", asian},
	{"north-korea", "DPRK", asian},
	{"georgia", "Georgia", eastern},
	{"houthis", "Ansar Allah (Houthis)", arabic},
	{"moldova", "Moldova", eastern},
	{"transnistria", "Transnistria", russian},
	{"osce", "OSCE", western},
	{"african-union", "African Union", african},
	{"iaea", "IAEA", western},
	{"icrc", "ICRC", western},
	{"brazil", "Brazil", western},
}

// name is a given or family name: an ASCII slug for ids and what is shown.
type name struct{ slug, shown string }

var givenNames = map[region][]name{
	western:   {{"antony", "Antony"}, {"kaja", "Kaja"}, {"steve", "Steve"}, {"marco", "Marco"}, {"ursula", "Ursula"}, {"jonas", "Jonas"}, {"ignazio", "Ignazio"}, {"helene", "Hélène"}, {"annalena", "Annalena"}, {"rafael", "Rafael"}, {"celso", "Celso"}, {"miroslav", "Miroslav"}},
	russian:   {{"sergei", "Сергей"}, {"vladimir", "Владимир"}, {"yuri", "Юрий"}, {"maria", "Мария"}, {"dmitry", "Дмитрий"}, {"alexei", "Алексей"}, {"kirill", "Кирилл"}, {"igor", "Игорь"}},
	ukrainian: {{"andrii", "Андрій"}, {"rustem", "Рустем"}, {"olena", "Олена"}, {"kyrylo", "Кирило"}, {"dmytro", "Дмитро"}, {"oleksandr", "Олександр"}, {"ihor", "Ігор"}, {"tetiana", "Тетяна"}},
	eastern:   {{"ararat", "Ararat"}, {"nikol", "Nikol"}, {"ivica", "Ivica"}, {"aleksandar", "Aleksandar"}, {"ilia", "Ilia"}, {"mihai", "Mihai"}, {"maia", "Maia"}, {"nino", "Nino"}},
	turkic:    {{"hakan", "Hakan"}, {"ibrahim", "İbrahim"}, {"omer", "Ömer"}, {"ceyhun", "Ceyhun"}, {"elif", "Elif"}, {"jeyhun", "Jeyhun"}, {"hikmet", "Hikmet"}, {"sule", "Şule"}},
	arabic:    {{"mohammed", "Mohammed"}, {"faisal", "Faisal"}, {"badr", "Badr"}, {"abbas", "Abbas"}, {"majed", "Majed"}, {"khalil", "Khalil"}, {"abdel-fattah", "Abdel Fattah"}, {"lana", "Lana"}, {"sameh", "Sameh"}, {"hemedti", "Hemedti"}},
	asian:     {{"wang", "Wang"}, {"subrahmanyam", "Subrahmanyam"}, {"ishaq", "Ishaq"}, {"yoko", "Yoko"}, {"cho", "Cho"}, {"kim", "Kim"}, {"ajit", "Ajit"}, {"takeshi", "Takeshi"}},
	african:   {{"abiy", "Abiy"}, {"felix", "Félix"}, {"paul", "Paul"}, {"therese", "Thérèse"}, {"olivier", "Olivier"}, {"moussa", "Moussa"}},
}

var familyNames = map[region][]name{
	western:   {{"blinken", "Blinken"}, {"kallas", "Kallas"}, {"witkoff", "Witkoff"}, {"rubio", "Rubio"}, {"gahr-store", "Gahr Støre"}, {"cassis", "Cassis"}, {"grossi", "Grossi"}, {"amorim", "Amorim"}, {"lajcak", "Lajčák"}, {"kellogg", "Kellogg"}, {"guterres", "Guterres"}, {"parolin", "Parolin"}},
	russian:   {{"lavrov", "Лавров"}, {"ushakov", "Ушаков"}, {"medinsky", "Мединский"}, {"zakharova", "Захарова"}, {"peskov", "Песков"}, {"galuzin", "Галузин"}, {"fomin", "Фомин"}, {"kostyukov", "Костюков"}},
	ukrainian: {{"yermak", "Єрмак"}, {"umerov", "Умєров"}, {"sybiha", "Сибіга"}, {"budanov", "Буданов"}, {"kuleba", "Кулеба"}, {"kyslytsya", "Кислиця"}, {"arakhamia", "Арахамія"}, {"stefanishyna", "Стефанішина"}},
	eastern:   {{"mirzoyan", "Mirzoyan"}, {"pashinyan", "Pashinyan"}, {"dacic", "Dačić"}, {"vucic", "Vučić"}, {"darchiashvili", "Darchiashvili"}, {"popescu", "Popescu"}, {"sandu", "Sandu"}, {"kobakhidze", "Kobakhidze"}},
	turkic:    {{"fidan", "Fidan"}, {"kalin", "Kalın"}, {"celik", "Çelik"}, {"bayramov", "Bayramov"}, {"hajiyev", "Hajiyev"}, {"yilmaz", "Yılmaz"}, {"ozturk", "Öztürk"}},
	arabic:    {{"al-thani", "Al Thani"}, {"bin-farhan", "bin Farhan"}, {"albusaidi", "Albusaidi"}, {"araghchi", "Araghchi"}, {"al-ansari", "Al-Ansari"}, {"shoukry", "Shoukry"}, {"dagalo", "Dagalo"}, {"al-burhan", "al-Burhan"}, {"nusseibeh", "Nusseibeh"}},
	asian:     {{"yi", "Yi"}, {"jaishankar", "Jaishankar"}, {"dar", "Dar"}, {"kamikawa", "Kamikawa"}, {"tae-yul", "Tae-yul"}, {"doval", "Doval"}, {"iwaya", "Iwaya"}},
	african:   {{"ahmed", "Ahmed"}, {"tshisekedi", "Tshisekedi"}, {"kagame", "Kagame"}, {"nduhungirehe", "Nduhungirehe"}, {"wagner", "Kayikwamba Wagner"}, {"faki", "Faki"}},
}

var titles = []string{
	"Foreign Minister", "Deputy Foreign Minister", "Defence Minister", "Presidential Aide",
	"Head of Delegation", "Special Envoy", "Chief Negotiator", "Spokesperson",
	"National Security Adviser", "Head of the Presidential Office", "Ambassador", "Prime Minister",
	"Secretary of the Security Council", "Intelligence Chief", "Deputy Head of Delegation",
}

type publisher struct{ slug, name, domain string }

var publishers = []publisher{
	{"reuters", "Reuters", "www.reuters.com"},
	{"ap", "Associated Press", "apnews.com"},
	{"afp", "AFP", "www.afp.com"},
	{"aa", "Anadolu Ajansı", "www.aa.com.tr"},
	{"tass", "ТАСС", "tass.ru"},
	{"ria", "РИА Новости", "ria.ru"},
	{"interfax", "Interfax", "interfax.com"},
	{"pravda", "Українська правда", "www.pravda.com.ua"},
	{"kyiv-independent", "The Kyiv Independent", "kyivindependent.com"},
	{"aljazeera", "Al Jazeera", "www.aljazeera.com"},
	{"bbc", "BBC News", "www.bbc.com"},
	{"nyt", "The New York Times", "www.nytimes.com"},
	{"lemonde", "Le Monde", "www.lemonde.fr"},
	{"spiegel", "Der Spiegel", "www.spiegel.de"},
	{"asharq", "Asharq Al-Awsat", "english.aawsat.com"},
	{"nhk", "NHK World", "www3.nhk.or.jp"},
	{"un-news", "UN News", "news.un.org"},
	{"mfa", "Ministry of Foreign Affairs", "www.mfa.gov"},
	{"kremlin", "Kremlin.ru", "kremlin.ru"},
	{"president-ua", "Office of the President of Ukraine", "www.president.gov.ua"},
}

var venues = []string{
	"Dolmabahçe Palace, Istanbul", "Çırağan Palace, Istanbul", "Palais des Nations, Geneva",
	"Diriyah Palace, Riyadh", "Sheraton Grand, Doha", "Muscat", "Lancaster House, London",
	"Bürgenstock Resort, Lucerne", "Vatican City", "Al-Salam Palace, Jeddah", "Cairo",
	"Sharm el-Sheikh", "Abu Dhabi", "Washington, D.C.", "Hofburg, Vienna", "Minsk",
	"Almaty", "Antalya Diplomacy Forum", "Addis Ababa", "Nairobi", "Luanda",
	"Istanbul: Vahdettin Mansion", "online (video link)",
}

var media = []string{
	"post on X", "Telegram channel", "press conference", "interview with Reuters",
	"televised address", "briefing", "statement on the ministry website",
	"speech at the UN Security Council", "remarks to reporters", "joint press conference",
	"interview with TASS", "op-ed", "nightly video address", "Facebook post",
}

// topics are the position topics: slugs, as the dataset requires.
var topics = []string{
	"ceasefire", "memorandum", "prisoners", "sanctions", "security-guarantees",
	"humanitarian-corridors", "territory", "energy-infrastructure", "black-sea-shipping",
	"nuclear-safety", "elections", "reconstruction", "monitoring-mission",
	"troop-withdrawal", "hostages",
}

// The text vocabulary. Words are drawn with a skew towards the start of
// each list, so early entries are common and late ones rare: full-text
// search then has both frequent and selective terms.

var verbs = []string{
	"proposed", "rejected", "welcomed", "demanded", "called for", "discussed",
	"reaffirmed", "ruled out", "offered", "accepted", "insisted on", "questioned",
	"condemned", "supported", "postponed", "endorsed", "signalled support for",
	"raised concerns about", "tabled", "agreed on", "linked progress to",
	"conditioned talks on", "hailed", "dismissed", "backed", "opposed",
	"renewed calls for", "downplayed", "floated", "warned against", "pushed for",
	"objected to", "reiterated", "clarified", "softened its stance on",
	"hardened its stance on", "reviewed", "drafted", "circulated", "initialled",
	"annexed", "deferred", "revisited", "brokered", "mediated", "verified",
	"suspended", "resumed", "extended", "tied",
}

var adjectives = []string{
	"full", "comprehensive", "temporary", "lasting", "unconditional", "partial",
	"phased", "humanitarian", "international", "bilateral", "joint", "permanent",
	"verifiable", "limited", "immediate", "written", "binding", "technical",
	"military", "civilian", "regional", "maritime", "safe", "mutual", "final",
	"preliminary", "direct", "indirect", "informal", "formal", "new", "revised",
	"all-for-all", "thirty-day", "energy", "nuclear", "economic", "territorial",
	"political", "credible", "independent", "neutral", "demilitarised",
	"trilateral", "multilateral", "confidential", "public", "parallel", "reciprocal",
	"incremental", "sweeping", "narrow", "broad", "robust", "fragile", "durable",
	"symbolic", "practical", "step-by-step", "open-ended", "time-bound",
	"legally binding", "non-aggression", "long-range", "cross-border",
	"extraterritorial", "supranational", "plenipotentiary", "irreversible",
}

var nouns = []string{
	"ceasefire", "truce", "exchange", "prisoners", "guarantees", "sanctions",
	"memorandum", "talks", "negotiations", "agreement", "framework", "roadmap",
	"corridor", "withdrawal", "settlement", "monitoring", "mission", "delegation",
	"security", "sovereignty", "border", "deal", "commitments", "principles",
	"proposal", "declaration", "protocol", "text", "draft", "mechanism",
	"summit", "meeting", "round", "channel", "envoy", "mediation", "observers",
	"inspections", "infrastructure", "ports", "shipping", "grain", "exports",
	"energy", "strikes", "hostilities", "front line", "line of contact",
	"buffer zone", "troops", "forces", "weapons", "missiles", "drones",
	"civilians", "children", "detainees", "bodies", "remains", "families",
	"refugees", "aid", "convoys", "reconstruction", "assets", "reparations",
	"elections", "referendum", "constitution", "status", "autonomy",
	"recognition", "normalisation", "relations", "trade", "transit",
	"pipeline", "power plant", "dam", "water", "airspace", "navigation",
	"demining", "peacekeepers", "guarantors", "signatories", "clauses",
	"annex", "timeline", "deadline", "sequencing", "verification",
	"compliance", "violations", "incidents", "provocations", "escalation",
	"de-escalation", "confidence-building measures", "hotline", "communiqué",
	"non-paper", "aide-mémoire", "démarche", "moratorium", "embargo",
	"escrow", "tranche", "consortium", "arbitration", "tribunal", "amnesty",
	"ratification", "accession", "enclave", "exclave", "corridor tolls",
	"desalination", "tariffs", "overflight", "repatriation", "exhumation",
}

var phrases = []string{
	"in Istanbul", "before the next round", "without preconditions",
	"under international supervision", "along the line of contact",
	"by the end of the month", "within thirty days", "in Geneva",
	"at the technical level", "behind closed doors", "in writing",
	"for the first time", "after months of delay", "as a first step",
	"in exchange for guarantees", "on humanitarian grounds", "in principle",
	"at the leaders' level", "with Türkiye as guarantor", "in Doha",
	"through the mediators", "in the Black Sea", "at the Zaporizhzhia plant",
	"near Kherson", "around Rafah", "in El Fasher", "in Jeddah", "in Riyadh",
	"under the Minsk format", "within the OSCE framework", "at the UN",
	"pending ratification", "subject to verification", "on a reciprocal basis",
	"in the coming weeks", "by spring", "before the elections",
	"in the presence of observers", "via video link", "in Muscat",
	"at Bürgenstock", "in the Vatican", "in Addis Ababa", "in Luanda",
	"in Pristina", "in Brussels", "on the Lachin road", "in the Tigray region",
	"on the Korean Peninsula", "in the Strait of Hormuz",
}

var subjectsGeneric = []string{
	"The delegation", "Both sides", "The mediators", "The foreign ministry",
	"The government", "Negotiators", "Officials", "The presidential office",
	"The host country", "Observers", "The working group", "Military representatives",
}

// rare are words that appear in a handful of texts at most: good search
// terms with few hits.
var rare = []string{
	"Zaporizhzhia", "Kinburn", "Bakhmut", "Avdiivka", "Mariupol", "Odesa",
	"Khartoum", "Darfur", "Stepanakert", "Zangezur", "Tskhinvali", "Sukhumi",
	"Tiraspol", "Hodeidah", "Marib", "Panmunjom", "Goma", "Bukavu",
	"Togliatti", "ammonia pipeline", "Kerch bridge", "SWIFT reconnection",
	"Rosselkhozbank", "grain-for-fertiliser", "snapback", "JCPOA", "Article 5-like",
	"Budapest Memorandum", "Steinmeier formula", "Normandy format", "Abraham Accords",
	"Philadelphi corridor", "Netzarim", "Kerem Shalom", "Karabakh", "Donbas",
	"Crimea", "Transcarpathia", "Enerhodar", "Chornobyl", "Kursk", "Belgorod",
	"Sevastopol", "Novorossiysk", "Ust-Luga", "Primorsko-Akhtarsk",
	"quadripartite", "sherpa", "proximity talks", "shuttle diplomacy",
	"Донбас", "Херсон", "переговоры", "перемир'я",
}

// awkward are texts that trip up YAML writers and Discord renderers:
// mentions, YAML indicators and look-alike scalars, quotes, newlines.
var awkward = []string{
	"@everyone the ceasefire holds until further notice",
	"Ping <@&123> and <@123456789012345678> before the briefing",
	"- leading dash: not a list item",
	"\"Quoted from the start\" and then unquoted",
	"'single quotes' at the start",
	"key: value, which looks like a mapping",
	"Türkiye’s “neutral ground” offer stands",
	"Сергей Лавров: «переговоры продолжатся»",
	"#hashtag, *bold*, _emphasis_, `code`, ~~struck~~ and ||spoiler||",
	"no",
	"null",
	"true",
	"2025-06-02",
	"1.5e3",
	"~",
	"? question mark first",
	"& anchor-like, * alias-like, ! tag-like",
	"first paragraph of the quote\nsecond paragraph after a line break",
	"[bracketed] {braced} | piped > folded % percent",
	"comment-like # after text",
	"tabs\tinside\ttext",
	"emoji 🕊️ and a flag 🇺🇦",
}
