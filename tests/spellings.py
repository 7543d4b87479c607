"""Real spellings of people and places, shared by the name-key tests and the search tests."""

# Real spellings of one person or place, as they appear in the press, rights groups' lists (Viasna, Memorial),
# Belarusian and Russian media, Polish and German media, and Łacinka. Each row must give one key sequence.
# Where the given names are different names rather than transliterations (Mikalai / Nikolai), the row holds the
# surname only and the pair is in KNOWN_MISSES.
PEOPLE = [
    # Belarus: people
    (
        "Maria Kalesnikava",
        "Maryia Kalesnikava",
        "Maria Kolesnikova",
        "Maria Kolesnikowa",
        "Марыя Калеснікава",
        "Мария Колесникова",
    ),
    (
        "Siarhei Tsikhanouski",
        "Sergei Tikhanovsky",
        "Sergey Tikhanovskiy",
        "Siarhiej Cichanouski",
        "Sergej Tichanowski",
        "Сяргей Ціханоўскі",
        "Сергей Тихановский",
    ),
    (
        "Sviatlana Tsikhanouskaya",
        "Svetlana Tikhanovskaya",
        "Swiatłana Cichanouska",
        "Swetlana Tichanowskaja",
        "Святлана Ціханоўская",
        "Светлана Тихановская",
    ),
    ("Viktar Babaryka", "Viktor Babariko", "Wiktar Babaryka", "Віктар Бабарыка", "Виктор Бабарико"),
    ("Eduard Babaryka", "Eduard Babariko", "Эдуард Бабарыка", "Эдуард Бабарико"),
    ("Ihar Losik", "Igor Losik", "Ігар Лосік", "Игорь Лосик"),
    ("Ales Bialiatski", "Ales Byalyatski", "Ales Bialiatsky", "Aleś Bialacki", "Алесь Бяляцкі", "Алесь Беляцкий"),
    ("Maksim Znak", "Maxim Znak", "Максім Знак", "Максим Знак"),
    ("Mikalai Statkevich", "Mikola Statkevich", "Mikałaj Statkievič", "Mikoła Statkiewicz", "Мікалай Статкевіч"),
    ("Statkevich", "Statkewitsch", "Статкевіч", "Статкевич"),  # Nikolai Statkevich: see KNOWN_MISSES
    ("Ales Gridin", "Ales Hrydzin", "Алесь Грыдзін"),
    ("Uladzimir Labkovich", "Vladimir Labkovich", "Uładzimir Łabkowicz", "Уладзімір Лабковіч", "Владимир Лабкович"),
    ("Palina Sharenda-Panasiuk", "Polina Sharenda-Panasyuk", "Паліна Шарэнда-Панасюк", "Полина Шаренда-Панасюк"),
    ("Mikola Dziadok", "Mikalai Dziadok", "Mikałaj Dziadok", "Мікола Дзядок"),
    ("Dziadok", "Dedok", "Дзядок", "Дедок"),  # Nikolai Dedok in Russian
    ("Marfa Rabkova", "Марфа Рабкова"),
    ("Yauhen Afnahel", "Evgeny Afnagel", "Yevgeny Afnagel", "Jauhien Afnahiel", "Яўген Афнагель", "Евгений Афнагель"),
    ("Raman Pratasevich", "Roman Protasevich", "Roman Protassewitsch", "Раман Пратасевіч", "Роман Протасевич"),
    ("Maryna Zolatava", "Marina Zolotova", "Марына Золатава", "Марина Золотова"),
    ("Andreyeva", "Andreeva", "Andriejewa", "Андрэева", "Андреева"),  # Katsiaryna / Ekaterina: KNOWN_MISSES
    ("Daria Chultsova", "Darya Chultsova", "Daria Czulcowa", "Дар'я Чульцова", "Дарья Чульцова"),
    ("Pavel Seviarynets", "Paval Seviarynets", "Pavel Sevyarynets", "Pavel Severinets", "Павел Севярынец"),
    ("Ihar Alinevich", "Igor Olinevich", "Ігар Аліневіч", "Игорь Олиневич"),
    (
        "Valiantsin Stefanovich",
        "Valentin Stefanovich",
        "Walancin Stefanowicz",
        "Валянцін Стэфановіч",
        "Валентин Стефанович",
    ),
    ("Leanid Sudalenka", "Leonid Sudalenko", "Леанід Судаленка", "Леонид Судаленко"),
    ("Autukhovich", "Avtukhovich", "Аўтуховіч", "Автухович"),  # Mikalai / Nikolai: KNOWN_MISSES
    ("Vital Shkliarau", "Vitaly Shklyarov", "Віталь Шкляраў", "Виталий Шкляров"),
    ("Andrzej Poczobut", "Анджей Почобут", "Анджэй Пачобут"),
    ("Kastusiou", "Kastusyou", "Кастусёў", "Костусев"),  # Ryhor / Grigory: KNOWN_MISSES
    ("Loika", "Loyka", "Łojka", "Лойка", "Лойко"),  # Nasta / Anastasia: KNOWN_MISSES
    ("Ales Pushkin", "Aleś Puszkin", "Алесь Пушкін", "Алесь Пушкин"),
    ("Vitold Ashurak", "Witold Aszurak", "Вітольд Ашурак", "Витольд Ашурок"),
    ("Ihar Karnei", "Igor Korney", "Ігар Карней", "Игорь Корней"),
    ("Dzianis Ivashin", "Denis Ivashin", "Дзяніс Івашын", "Денис Ивашин"),
    ("Andrei Aliaksandrau", "Andrey Aleksandrov", "Андрэй Аляксандраў", "Андрей Александров"),
    ("Larysa Shchyrakova", "Larisa Shchirakova", "Ларыса Шчыракова", "Лариса Щиракова"),
    ("Ziankovich", "Zenkovich", "Зянковіч", "Зенкович"),  # Yuras / Yury: different forms of the given name
    # Russia and Crimea: people
    (
        "Alexei Navalny",
        "Aleksei Navalny",
        "Alexej Nawalny",
        "Aleksiej Nawalny",
        "Алексей Навальный",
        "Аляксей Навальны",
    ),
    ("Ilya Yashin", "Ilja Jaschin", "Ilja Jaszin", "Илья Яшин"),
    ("Vladimir Kara-Murza", "Władimir Kara-Murza", "Владимир Кара-Мурза"),
    ("Alexei Gorinov", "Aleksei Gorinov", "Alexej Gorinow", "Алексей Горинов"),
    ("Oleg Orlov", "Oleg Orłow", "Олег Орлов"),
    ("Yevgenia Berkovich", "Evgenia Berkovich", "Jewgenija Berkowitsch", "Евгения Беркович"),
    ("Svetlana Petriychuk", "Svetlana Petriichuk", "Светлана Петрийчук"),
    ("Aleksandra Skochilenko", "Alexandra Skochilenko", "Alexandra Skotschilenko", "Александра Скочиленко"),
    ("Yuri Dmitriev", "Yury Dmitriyev", "Juri Dmitrijew", "Юрий Дмитриев"),
    ("Mikhail Khodorkovsky", "Michail Chodorkowski", "Михаил Ходорковский"),
    ("Boris Kagarlitsky", "Boris Kagarlitskiy", "Boris Kagarlicki", "Борис Кагарлицкий"),
    ("Alexei Moskalev", "Aleksei Moskalyov", "Alexej Moskaljow", "Алексей Москалёв"),
    ("Igor Baryshnikov", "Igor Baryschnikow", "Игорь Барышников"),
    ("Maria Ponomarenko", "Marija Ponomarenko", "Мария Пономаренко"),
    ("Nariman Dzhelyal", "Nariman Dżelal", "Нариман Джелял"),
]

PLACES = [
    # Places: cities, prisons, colonies, detention centres; and the rights group
    ("Hrodna", "Grodno", "Гродна", "Гродно"),
    ("Homiel", "Homel", "Gomel", "Гомель"),
    ("Mahilioŭ", "Mahiliou", "Mogilev", "Mogilyov", "Mohylew", "Магілёў", "Могилёв"),
    ("Navapolatsk", "Novopolotsk", "Nowopołock", "Наваполацк", "Новополоцк"),
    ("Zhodzina", "Zhodino", "Żodzino", "Жодзіна", "Жодино"),
    ("Vitsebsk", "Vitebsk", "Witebsk", "Віцебск", "Витебск"),
    ("Babruisk", "Bobruisk", "Babrujsk", "Бабруйск", "Бобруйск"),
    ("Mazyr", "Mozyr", "Мазыр", "Мозырь"),
    ("Shklou", "Shklov", "Szkłów", "Шклоў", "Шклов"),
    ("Horki", "Gorki", "Горкі", "Горки"),
    ("Akrestsina", "Okrestina", "Akreścina", "Акрэсціна", "Окрестина"),
    ("Ivatsevichy", "Ivatsevichi", "Iwacewicze", "Івацэвічы", "Ивацевичи"),
    ("Viasna", "Vesna", "Wiasna", "Вясна", "Весна"),
]

SPELLINGS = PEOPLE + PLACES
