"""The demo data set: the joint statement of 24 groups on Maria Kalesnikava, modelled completely.

Nothing here goes beyond the statement (docs/joint-statement-kalesnikava.txt).
Years the statement leaves implicit follow from its own sequence of events: it was
issued in 2023, after the May 2023 news it reports. Loading is idempotent: a record
is only saved (and so only gains a history entry) when it differs from the statement.
"""

import datetime

from django.db import transaction

from casetracker.dates import ApproximateDate, Precision
from casetracker.text import fold
from events.models import Channel, Contact, Incident, IncidentKind, Organisation, Party, Source, SourceKind, Visibility
from events.models import Verification as V
from prisoners.models import (
    Charge,
    CustodyPeriod,
    Facility,
    FacilityKind,
    FacilityNameVariant,
    Language,
    Lawyer,
    NameVariant,
    Prisoner,
    Recognition,
    Representation,
    Sentence,
    Tag,
)
from prisoners.status import Status

CHANGE_REASON = "load_demo: joint statement on Maria Kalesnikava"

# As listed under the statement (it speaks of 24 groups; the text names these 20).
SIGNATORIES = [
    "Amnesty International",
    "Barys Zvozskau Belarusian Human Rights House",
    "Belarusian Association of Journalists",
    "Belarusian Helsinki Committee",
    "Freedom House",
    "Helsinki Foundation for Human Rights",
    "Human Constanta",
    "Human Rights Center “Viasna”",
    "Human Rights Watch",
    "International Federation for Human Rights",
    "International Partnership for Human Rights (IPHR)",
    "Legal Initiative Belarus",
    "Libereco – Partnership for Human Rights",
    "Netherlands Helsinki Committee",
    "Norwegian Helsinki Committee",
    "Office for the Rights of Persons with Disabilities",
    "PEN America",
    "PEN Belarus",
    "People in Need",
    "World Organisation against Torture",
]
VIASNA = "Human Rights Center “Viasna”"

OTHER_PRISONERS = ["Maksim Znak", "Siarhei Tsikhanouski", "Viktar Babaryka", "Mikola Statkevich", "Ihar Losik"]
DISBARRED_LAWYERS = ["Aliaksandr Pylchenka", "Liudmila Kazak", "Vladimir Pylchenko"]


def on(year, month, day):
    return ApproximateDate(datetime.date(year, month, day), Precision.DAY)


def approx(year, month, precision):
    return ApproximateDate(datetime.date(year, month, 1), precision)


def year(value):
    return ApproximateDate(datetime.date(value, 1, 1), Precision.YEAR)


class Loader:
    def __init__(self):
        self.saved = 0

    def upsert(self, model, lookup, values=None, m2m=None):
        """Create or update one record; save only what differs, so a rerun writes nothing."""
        values = values or {}
        obj = model.objects.filter(**lookup).first()
        changed = obj is None
        if obj is None:
            obj = model(**lookup)
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.full_clean()
            obj._change_reason = CHANGE_REASON
            obj.save()
            self.saved += 1
        for name, targets in (m2m or {}).items():
            manager = getattr(obj, name)
            if set(manager.all()) != set(targets):
                obj._change_reason = CHANGE_REASON
                manager.set(targets)
                self.saved += 1
        return obj


@transaction.atomic
def load_demo():
    """Load the statement; returns how many records were written (0 on a rerun)."""
    load = Loader()
    up = load.upsert

    organisations = {name: up(Organisation, {"name": name}) for name in SIGNATORIES}
    statement = up(
        Source,
        {"title": "Belarus: Stop mistreating opposition politician"},
        {
            "title_be": "Беларусь: спыніце жорсткае абыходжанне з апазіцыйным палітыкам",
            "title_ru": "Беларусь: прекратите жестокое обращение с оппозиционным политиком",
            "kind": SourceKind.STATEMENT,
            "published_approx": year(2023),
            "confidential": False,
            "internal_notes": "Joint statement of 24 international and Belarusian rights groups; "
            "the copy on file lists 20 of them. It carries no date or URL; "
            "issued in 2023, after the May 2023 news it reports.",
        },
        m2m={"signatories": list(organisations.values())},
    )
    viasna_report = up(
        Source,
        {"title": "Viasna: Kalesnikava placed in a cell-type premises (PKT)"},
        {
            "title_be": "«Вясна»: Калеснікаву перавялі ў памяшканне камернага тыпу (ПКТ)",
            "title_ru": "«Весна»: Колесникову перевели в помещение камерного типа (ПКТ)",
            "kind": SourceKind.NEWS,
            "publisher": organisations[VIASNA],
            "published_approx": approx(2023, 3, Precision.LATE),
            "confidential": False,
            "internal_notes": "Known through the joint statement; the original report is not on file.",
        },
    )
    private_channels = up(
        Source,
        {"title": "Private channels: Kalesnikava's health, May 2023"},
        {
            "title_be": "Неафіцыйныя каналы: здароўе Калеснікавай, травень 2023",
            "title_ru": "Неофициальные каналы: здоровье Колесниковой, май 2023",
            "kind": SourceKind.PRIVATE,
            "published_approx": approx(2023, 5, Precision.MONTH),
            "confidential": True,
            "internal_notes": "Human rights organisations learned this through private channels. "
            "Never disclose the channel.",
        },
    )

    colony = up(
        Facility,
        {"name": "Penal colony No. 4"},
        {"kind": FacilityKind.PENAL_COLONY, "city": "Homiel", "region": "Homiel Region", "country": "Belarus"},
    )
    colony_variants = [
        ("Female penal colony N4 in Homiel", Language.ENGLISH, False),
        ("Gomel penal colony No. 4", Language.ENGLISH, False),
        # The names its pages show in Belarusian and Russian, as Viasna and Russian-language groups write them.
        ("ПК-4, Гомель", Language.BELARUSIAN, True),
        ("ИК-4, Гомель", Language.RUSSIAN, True),
    ]
    for variant, language, display in colony_variants:
        up(FacilityNameVariant, {"facility": colony, "name": variant}, {"language": language, "display": display})
    hospital = up(
        Facility,
        {"name": "Homiel emergency hospital"},
        {"kind": FacilityKind.HOSPITAL, "city": "Homiel", "region": "Homiel Region", "country": "Belarus"},
    )
    hospital_variants = [
        ("Gomel emergency hospital", Language.ENGLISH, False),
        ("Гомельская бальніца хуткай медыцынскай дапамогі", Language.BELARUSIAN, True),
        ("Гомельская больница скорой медицинской помощи", Language.RUSSIAN, True),
    ]
    for variant, language, display in hospital_variants:
        up(FacilityNameVariant, {"facility": hospital, "name": variant}, {"language": language, "display": display})

    maria = up(
        Prisoner,
        {"slug": "maria-kalesnikava"},
        {
            "name": "Maria Kalesnikava",
            "bio": "Musician, prominent opposition figure and a symbol of the peaceful protest movement for "
            "human rights in Belarus; member of the opposition's Coordination Council for the Transfer of Power.",
            "bio_be": "Музыкантка, вядомая апазіцыйная дзяячка і сімвал мірнага пратэстнага руху за правы чалавека "
            "ў Беларусі; сябра апазіцыйнай Каардынацыйнай рады па перадачы ўлады.",
            "bio_ru": "Музыкант, видная оппозиционная деятельница и символ мирного протестного движения за права "
            "человека в Беларуси; член оппозиционного Координационного совета по передаче власти.",
            "status": Status.DETAINED,
            "detained_approx": approx(2020, 9, Precision.MONTH),
            "occupation": "musician",
            "published": True,
        },
        m2m={
            "tags": [up(Tag, {"name": "Coordination Council"})],
            "sources": [statement],
        },
    )
    variants = [
        ("Maryia Kalesnikava", Language.ENGLISH, "transliteration", False),
        ("Kalesnikova", Language.ENGLISH, "spelling also used in the joint statement", False),
        ("Kolesnikova", Language.ENGLISH, "transliteration from Russian", False),
        ("Калеснікава", Language.BELARUSIAN, "Belarusian", False),
        ("Колесникова", Language.RUSSIAN, "Russian", False),
        # Her name on the Belarusian and the Russian pages.
        ("Марыя Калеснікава", Language.BELARUSIAN, "Belarusian", True),
        ("Мария Колесникова", Language.RUSSIAN, "Russian", True),
    ]
    for name, language, note, display in variants:
        # Spellings the joint statement and the press use: public.
        up(
            NameVariant,
            {"prisoner": maria, "name": name},
            {"language": language, "note": note, "public": True, "display": display},
        )

    for label in ["extremism", "trying to seize power", "calls for actions causing harm to national security"]:
        up(Charge, {"prisoner": maria, "label": label})
    up(Sentence, {"prisoner": maria, "date": datetime.date(2021, 9, 6)}, {"term_years": 11})

    up(
        CustodyPeriod,
        {"prisoner": maria, "facility": colony, "end": datetime.date(2022, 11, 28)},
        {"note": "Serving her sentence; start date not stated."},
    )
    up(
        CustodyPeriod,
        {"prisoner": maria, "facility": hospital, "start": datetime.date(2022, 11, 28)},
        {
            "end_approx": approx(2022, 12, Precision.EARLY),
            "note": "Intensive care unit, then about a week in hospital.",
        },
    )
    up(
        CustodyPeriod,
        {"prisoner": maria, "facility": colony, "start": datetime.date(2022, 12, 1)},
        {"start_precision": Precision.EARLY, "note": "First in the colony's medical facility."},
    )

    lawyers = {name: up(Lawyer, {"name": name}) for name in DISBARRED_LAWYERS}
    for lawyer in lawyers.values():
        up(Representation, {"prisoner": maria, "lawyer": lawyer})

    public = {"visibility": Visibility.PUBLIC}
    up(
        Contact,
        {"prisoner": maria, "party": Party.FAMILY, "date": datetime.date(2022, 12, 5)},
        {
            **public,
            "channel": Channel.VISIT,
            "contact_person": "her father",
            "description": "Her father was allowed to visit her. Only then did details of her condition and her "
            "account of ill-treatment in the punishment cell become known.",
            "description_be": "Яе бацьку дазволілі наведаць яе. Толькі тады сталі вядомыя падрабязнасці пра яе стан і "
            "яе сведчанне пра жорсткае абыходжанне ў ШІЗА.",
            "description_ru": "Её отцу разрешили свидание с ней. Только тогда стали известны подробности о её "
            "состоянии и её рассказ о жестоком обращении в ШИЗО.",
        },
        m2m={"sources": [statement]},
    )
    up(
        Contact,
        {"prisoner": maria, "party": Party.LAWYER, "date": datetime.date(2023, 2, 7)},
        {
            **public,
            "description": "Her lawyer's last access to her; since then, no access despite repeated attempts.",
            "description_be": "Апошняе наведванне адваката; з таго часу, нягледзячы на шматлікія спробы, доступу "
            "да яе няма.",
            "description_ru": "Последнее посещение адвоката; с тех пор, несмотря на неоднократные попытки, доступа "
            "к ней нет.",
        },
        m2m={"sources": [statement]},
    )
    up(
        Contact,
        {"prisoner": maria, "party": Party.FAMILY, "date": datetime.date(2023, 2, 11)},
        {
            **public,
            "date_precision": Precision.MID,
            "description": "Her family's last communication with her before calls, letters and visits were cut off.",
            "description_be": "Апошняя сувязь сям'і з ёй, перш чым спыніліся званкі, лісты і спатканні.",
            "description_ru": "Последняя связь семьи с ней, прежде чем прекратились звонки, письма и свидания.",
        },
        m2m={"sources": [statement]},
    )

    def incident(kind, start, values, sources=(statement,), prisoner=maria, **lookup):
        return up(
            Incident,
            {"prisoner": prisoner, "kind": kind, "start": start.earliest, **lookup},
            {"start_precision": start.precision, **public, **values},
            m2m={"sources": list(sources)},
        )

    november_2022 = approx(2022, 11, Precision.MONTH)
    hospitalised = on(2022, 11, 28)
    incident(
        IncidentKind.ARREST,
        approx(2020, 9, Precision.MONTH),
        {
            "verification": V.CONFIRMED,
            "description": "Detained after she resisted an attempt by the authorities to forcefully expel her from "
            "the country, in retaliation for her political activism and her membership of the opposition's "
            "Coordination Council for the Transfer of Power.",
            "description_be": "Яе затрымалі ў помсту за палітычную дзейнасць і сяброўства ў апазіцыйнай "
            "Каардынацыйнай радзе па перадачы ўлады, пасля таго як яна супраціўлялася спробе ўлад прымусова выслаць "
            "яе з краіны.",
            "description_ru": "Её задержали в отместку за политическую деятельность и членство в оппозиционном "
            "Координационном совете по передаче власти, после того как она воспротивилась попытке властей "
            "принудительно выдворить её из страны.",
        },
    )
    incident(
        IncidentKind.SENTENCING,
        on(2021, 9, 6),
        {
            "verification": V.CONFIRMED,
            "description": "Sentenced to 11 years in prison on bogus charges of ‘extremism’, ‘trying to seize "
            "power’ and ‘calls for actions causing harm to national security’.",
            "description_be": "Яе асудзілі на 11 гадоў пазбаўлення волі па надуманых абвінавачаннях у «экстрэмізме», "
            "«спробе захопу ўлады» і «закліках да дзеянняў, накіраваных на прычыненне шкоды нацыянальнай бяспецы».",
            "description_ru": "Её приговорили к 11 годам лишения свободы по надуманным обвинениям в «экстремизме», "
            "«попытке захвата власти» и «призывах к действиям, направленным на причинение вреда национальной "
            "безопасности».",
        },
    )
    incident(
        IncidentKind.SHIZO,
        november_2022,
        {
            "end_approx": hospitalised,
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Spent over 10 days in a freezing punishment isolation cell immediately before her "
            "hospitalisation, despite serious health concerns. The cell was so cold that she could not sleep "
            "at all and walked constantly to keep warm.",
            "description_be": "Непасрэдна перад шпіталізацыяй больш за 10 дзён правяла ў ледзяным штрафным ізалятары "
            "(ШІЗА), нягледзячы на сур'ёзную занепакоенасць яе здароўем. У камеры было так холадна, што яна зусім не "
            "магла спаць і ўвесь час хадзіла, каб сагрэцца.",
            "description_ru": "Непосредственно перед госпитализацией более 10 дней провела в ледяном штрафном "
            "изоляторе (ШИЗО), несмотря на серьёзные опасения за её здоровье. В камере было так холодно, что она "
            "совсем не могла спать и всё время ходила, чтобы согреться.",
        },
    )
    incident(
        IncidentKind.MEDICAL_CARE_DENIED,
        november_2022,
        {
            "end_approx": hospitalised,
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Although she fainted repeatedly and suffered from high blood pressure and nausea in "
            "solitary confinement, the authorities refused to transfer her to hospital until her health "
            "significantly deteriorated.",
            "description_be": "Хоць у адзіночнай камеры яна неаднаразова губляла прытомнасць, пакутавала ад высокага "
            "ціску і млоснасці, улады адмаўляліся перавесці яе ў бальніцу, пакуль яе здароўе істотна не пагоршылася.",
            "description_ru": "Хотя в одиночной камере она неоднократно теряла сознание, страдала от высокого "
            "давления и тошноты, власти отказывались перевести её в больницу, пока её здоровье значительно не "
            "ухудшилось.",
        },
    )
    incident(
        IncidentKind.ILL_TREATMENT,
        november_2022,
        {
            "end_approx": hospitalised,
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Her account of ill-treatment in the punishment cell became known when her father "
            "visited on 5 December 2022. There are credible reports that she has been ill-treated by the "
            "penal colony's management.",
            "description_be": "Яе расповед пра жорсткае абыходжанне ў штрафным ізалятары стаў вядомы, калі 5 снежня "
            "2022 года яе наведаў бацька. Ёсць верагодныя звесткі пра тое, што яна падвяргалася жорсткаму абыходжанню "
            "з боку кіраўніцтва папраўчай калоніі.",
            "description_ru": "Её рассказ о жестоком обращении в штрафном изоляторе стал известен, когда 5 декабря "
            "2022 года её навестил отец. Есть достоверные сведения о том, что она подвергалась жестокому обращению со "
            "стороны руководства исправительной колонии.",
        },
    )
    incident(
        IncidentKind.HOSPITALISATION,
        hospitalised,
        {
            "end_approx": approx(2022, 12, Precision.EARLY),
            "facility": hospital,
            "verification": V.CONFIRMED,
            "description": "Admitted on the night of 28 November 2022 to the intensive care unit of Homiel's "
            "emergency hospital, where she spent approximately a week.",
            "description_be": "Уначы 28 лістапада 2022 года яе шпіталізавалі ў аддзяленне рэанімацыі Гомельскай "
            "бальніцы хуткай медыцынскай дапамогі, дзе яна правяла каля тыдня.",
            "description_ru": "Ночью 28 ноября 2022 года её госпитализировали в отделение реанимации Гомельской "
            "больницы скорой медицинской помощи, где она провела около недели.",
        },
    )
    incident(
        IncidentKind.SURGERY,
        hospitalised,
        {
            "facility": hospital,
            "verification": V.CONFIRMED,
            "description": "Surgery for a perforated ulcer.",
            "description_be": "Перанесла аперацыю з-за прабадной язвы.",
            "description_ru": "Перенесла операцию по поводу прободной язвы.",
        },
    )
    incident(
        IncidentKind.NOT_INFORMED,
        hospitalised,
        {
            "end_approx": on(2022, 12, 5),
            "facility": hospital,
            "verification": V.CREDIBLE,
            "description": "The penal colony's administration did not inform her lawyer or family that she had "
            "been hospitalised and undergone surgery, although she repeatedly asked the hospital staff to get "
            "in touch with her family.",
            "description_be": "Адміністрацыя папраўчай калоніі не паведаміла ні адвакату, ні сваякам, што яе "
            "шпіталізавалі і прааперавалі, хоць яна неаднаразова прасіла персанал бальніцы звязацца з яе сям'ёй.",
            "description_ru": "Администрация исправительной колонии не сообщила ни адвокату, ни родственникам, что её "
            "госпитализировали и прооперировали, хотя она неоднократно просила персонал больницы связаться с её "
            "семьёй.",
        },
    )
    incident(
        IncidentKind.TRANSFER,
        approx(2022, 12, Precision.EARLY),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Transferred from Homiel's emergency hospital to the penal colony's medical facility.",
            "description_be": "Яе перавялі з Гомельскай бальніцы хуткай медыцынскай дапамогі ў медыцынскую частку "
            "папраўчай калоніі.",
            "description_ru": "Её перевели из Гомельской больницы скорой медицинской помощи в медицинскую часть "
            "исправительной колонии.",
        },
    )
    incident(
        IncidentKind.FORCED_LABOUR,
        on(2023, 1, 10),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "The penal colony's administration forced her to resume work at the colony's clothing "
            "factory. Her family was concerned that she was still too weak from the surgery.",
            "description_be": "Адміністрацыя папраўчай калоніі прымусіла яе вярнуцца да працы на швейнай фабрыцы "
            "калоніі. Сям'я непакоілася, што пасля аперацыі яна яшчэ занадта слабая.",
            "description_ru": "Администрация исправительной колонии заставила её вернуться к работе на швейной "
            "фабрике колонии. Семья опасалась, что после операции она ещё слишком слаба.",
        },
    )
    incident(
        IncidentKind.LAWYER_ACCESS_DENIED,
        on(2023, 2, 7),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Her lawyer has had no access to her since 7 February 2023, despite repeated attempts.",
            "description_be": "З 7 лютага 2023 года адваката не дапускаюць да яе, нягледзячы на неаднаразовыя спробы.",
            "description_ru": "С 7 февраля 2023 года адвоката не допускают к ней, несмотря на неоднократные попытки.",
        },
    )
    incident(
        IncidentKind.FAMILY_CONTACT_DENIED,
        approx(2023, 2, Precision.MID),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Denied any communication with her family, including calls, letters and visits.",
            "description_be": "Ёй забаранілі любую сувязь з сям'ёй, у тым ліку званкі, лісты і спатканні.",
            "description_ru": "Ей запретили любую связь с семьёй, в том числе звонки, письма и свидания.",
        },
    )
    incident(
        IncidentKind.PKT,
        approx(2023, 3, Precision.LATE),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Placed in a cell-type premises (PKT) over a supposed violation of penitentiary "
            "regulations, Human Rights Center “Viasna” reported.",
            "description_be": "Яе перавялі ў памяшканне камернага тыпу (ПКТ) за нібыта парушэнне правіл унутранага "
            "распарадку, паведаміў Праваабарончы цэнтр «Вясна».",
            "description_ru": "Её перевели в помещение камерного типа (ПКТ) за якобы допущенное нарушение правил "
            "внутреннего распорядка, сообщил Правозащитный центр «Весна».",
        },
        sources=(statement, viasna_report),
    )
    incident(
        IncidentKind.HEALTH_DETERIORATION,
        approx(2023, 5, Precision.MONTH),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Her health had significantly deteriorated and she had not recovered from the surgery. "
            "According to credible reports, she was unable to do mandatory work in prison and lost consciousness "
            "on several occasions. Her family consulted a doctor who, unable to examine her in person, advised "
            "that she might need medical supervision and a special diet for several more months to avoid a "
            "relapse.",
            "description_be": "Яе здароўе значна пагоршылася, пасля аперацыі яна так і не акрыяла. Паводле верагодных "
            "звестак, яна не магла выконваць абавязковую працу ў калоніі і некалькі разоў губляла прытомнасць. Сям'я "
            "параілася з лекарам: не маючы магчымасці агледзець яе асабіста, ён заключыў, што, магчыма, яшчэ некалькі "
            "месяцаў ёй спатрэбяцца медыцынскае назіранне і спецыяльная дыета, каб пазбегнуць рэцыдыву.",
            "description_ru": "Её здоровье значительно ухудшилось, после операции она так и не восстановилась. По "
            "достоверным сведениям, она не могла выполнять обязательную работу в колонии и несколько раз теряла "
            "сознание. Семья проконсультировалась с врачом: не имея возможности осмотреть её лично, он заключил, что "
            "ей, возможно, ещё несколько месяцев понадобятся медицинское наблюдение и специальная диета, чтобы "
            "избежать рецидива.",
            "internal_notes": "Learned by human rights organisations through private channels.",
        },
        sources=(statement, private_channels),
    )
    incident(
        IncidentKind.SOLITARY,
        year(2023),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Held in solitary confinement at the time of the joint statement.",
            "description_be": "На момант сумеснай заявы ўтрымлівалася ў адзіночнай камеры.",
            "description_ru": "На момент совместного заявления содержалась в одиночной камере.",
        },
    )
    incident(
        IncidentKind.MEDICAL_CARE_DENIED,
        year(2023),
        {
            "facility": colony,
            "verification": V.CREDIBLE,
            "description": "Not receiving adequate medical care despite serious health problems; denied access "
            "to doctors, essential foods and medicines (at the time of the joint statement).",
            "description_be": "Не атрымлівала належнай медыцынскай дапамогі, нягледзячы на сур'ёзныя праблемы са "
            "здароўем; была пазбаўлена доступу да лекараў, неабходных прадуктаў харчавання і лекаў (на момант "
            "сумеснай заявы).",
            "description_ru": "Не получала надлежащей медицинской помощи, несмотря на серьёзные проблемы со "
            "здоровьем; была лишена доступа к врачам, необходимым продуктам питания и лекарствам (на момент "
            "совместного заявления).",
        },
    )
    for lawyer in lawyers.values():
        incident(
            IncidentKind.DISBARMENT,
            approx(2020, 10, Precision.MONTH),
            {
                "end_approx": approx(2022, 12, Precision.MONTH),
                "verification": V.CREDIBLE,
                # One text for the three: the statement tells them as one fact, dated only as a whole.
                "description": "Disbarred in retaliation for representing her. The statement dates the disbarment "
                "of her three lawyers to between October 2020 and December 2022.",
                "description_be": "Пазбаўленне адвакацкай ліцэнзіі ў помсту за абарону яе інтарэсаў. Паводле заявы, "
                "трох яе адвакатаў пазбавілі ліцэнзій у перыяд з кастрычніка 2020 па снежань 2022 года.",
                "description_ru": "Лишение адвокатской лицензии в отместку за защиту её интересов. Согласно "
                "заявлению, трёх её адвокатов лишили лицензий в период с октября 2020 по декабрь 2022 года.",
            },
            lawyer=lawyer,
        )

    for name in OTHER_PRISONERS:
        prisoner = up(
            Prisoner,
            {"name": name},
            {
                "slug": "-".join(fold(name).split()),  # fixed, like Maria's: a new record's slug has a random code
                "bio": "Prominent individual imprisoned for political reasons in Belarus.",
                "bio_be": "Вядомы чалавек, пазбаўлены волі ў Беларусі па палітычных матывах.",
                "bio_ru": "Известный человек, лишённый свободы в Беларуси по политическим мотивам.",
                "status": Status.DETAINED,
                "published": True,
            },
        )
        incident(
            IncidentKind.INCOMMUNICADO,
            year(2023),
            {
                "verification": V.CREDIBLE,
                "description": "Prevented by the authorities from communicating with his lawyers and family members "
                "“in recent months”, according to the joint statement.",
                "description_be": "Паводле сумеснай заявы, «у апошнія месяцы» ўлады не дазваляюць яму звязвацца з "
                "адвакатамі і сваякамі.",
                "description_ru": "Согласно совместному заявлению, «в последние месяцы» власти не позволяют ему "
                "связываться с адвокатами и родственниками.",
            },
            prisoner=prisoner,
        )

    # The statement itself names them political prisoners, "imprisoned for political reasons".
    for prisoner in Prisoner.objects.filter(name__in=["Maria Kalesnikava", *OTHER_PRISONERS]):
        recognition = up(Recognition, {"prisoner": prisoner}, {"date_approx": year(2023)})
        up(Recognition, {"pk": recognition.pk}, m2m={"organisations": list(organisations.values())})
    return load.saved
