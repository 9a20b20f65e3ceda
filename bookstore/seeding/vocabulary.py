"""Word lists the generator draws names, titles and review texts from."""

FIRST_NAMES = (
    "Ada", "Alan", "Alice", "Amara", "Ana", "Ben", "Bruno", "Carla", "Chen", "Clara", "Dara",
    "David", "Elena", "Emeka", "Eva", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan",
    "Jonas", "Julia", "Kai", "Kenji", "Lara", "Leo", "Lina", "Marco", "Maya", "Mei", "Nadia",
    "Noah", "Olga", "Omar", "Paula", "Pedro", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Tariq",
    "Tomas", "Uma", "Vera", "Wen", "Yara", "Zoe",
)  # fmt: skip

LAST_NAMES = (
    "Abe", "Adeyemi", "Alvarez", "Bauer", "Berg", "Costa", "Dubois", "Eriksen", "Fischer",
    "Garcia", "Haddad", "Hoffmann", "Ito", "Jansen", "Kim", "Kowalski", "Larsen", "Lopez",
    "Moreau", "Müller", "Nakamura", "Novak", "Okafor", "Olsen", "Park", "Petrov", "Quinn",
    "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Tanaka", "Torres", "Ueda", "Varga",
    "Weber", "Wong", "Yilmaz", "Zhang",
)  # fmt: skip

# 30 words x 10 suffixes = 300 distinct names: one for each of the generator's
# MAX_PUBLISHERS publishers.
PUBLISHER_WORDS = (
    "Harbor", "Lantern", "Meridian", "North", "Oak", "Paper", "Quill", "River", "Stone",
    "Summit", "Willow", "Atlas", "Beacon", "Cedar", "Falcon", "Granite", "Ivy", "Juniper",
    "Kestrel", "Linden", "Maple", "Orchid", "Pine", "Raven", "Sparrow", "Thistle", "Tidewater",
    "Vale", "Wren", "Yew",
)  # fmt: skip

PUBLISHER_SUFFIXES = (
    "Press", "Books", "House", "Publishing", "Editions", "Media", "Publishers", "Imprints",
    "Review", "Library",
)  # fmt: skip

COUNTRIES = (
    "Argentina", "Brazil", "Canada", "France", "Germany", "India", "Italy", "Japan", "Kenya",
    "Nigeria", "Norway", "Poland", "Portugal", "Spain", "Sweden", "United Kingdom",
    "United States",
)  # fmt: skip

TAGS = (
    "adventure", "art", "biography", "business", "children", "classics", "comics", "cooking",
    "crime", "drama", "economics", "education", "essays", "fantasy", "fiction", "gardening",
    "graphic-novel", "health", "historical", "history", "horror", "humor", "law", "linguistics",
    "mathematics", "medicine", "memoir", "music", "mystery", "nature", "philosophy",
    "photography", "poetry", "politics", "programming", "psychology", "religion", "romance",
    "science", "science-fiction", "self-help", "short-stories", "sociology", "space", "sports",
    "technology", "thriller", "travel", "war", "young-adult",
)  # fmt: skip

TITLE_ADJECTIVES = (
    "Silent", "Hidden", "Last", "Broken", "Golden", "Quiet", "Burning", "Frozen", "Lost",
    "Secret", "Distant", "Wild", "Forgotten", "Endless", "Crimson", "Gentle", "Restless",
)  # fmt: skip

TITLE_NOUNS = (
    "River", "Garden", "City", "Mountain", "Letter", "Empire", "Machine", "Harbor", "Forest",
    "Winter", "Kingdom", "Archive", "Bridge", "Lighthouse", "Orchard", "Signal", "Voyage",
    "Station", "Library", "Map",
)  # fmt: skip

# {a_adj} is the adjective with its indefinite article ("An Endless", "A Quiet"); {nouns} is
# the noun's plural ("Cities"); {noun2} is always a different noun from {noun}.
TITLE_PATTERNS = (
    "The {adj} {noun}",
    "{noun} of {name}",
    "{a_adj} {noun}",
    "The {noun} and the {noun2}",
    "{adj} {nouns}",
)

REVIEW_OPENINGS = (
    "Loved it.", "Not for me.", "A slow start, then gripping.", "Beautifully written.",
    "Too long by half.", "Read it in one sitting.", "The ending surprised me.",
    "Solid, if predictable.", "Would recommend.", "Hard to put down.",
)  # fmt: skip

REVIEW_CLOSINGS = (
    "The characters feel real.", "The middle drags.", "Great for a long trip.",
    "I will read the sequel.", "The research shows.", "Some chapters shine.",
    "Worth the price.", "My book club argued for hours.",
)  # fmt: skip
