# ruff: noqa: E501  (a table of demo data: one practice, one line of text)
"""Demo data of the good-practice inventory: about 30 practices from PRODUCT.md's public
examples (Lysekil's project of 44 activities, LIS in Skåne, Integration Halland, Söderhamn's
network and what it brought back from elsewhere), for `make try`.

The same list is the base of the search's relevance set (tests/services/test_practices_relevance.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from bot.services import municipalities
from bot.services.practices import model
from bot.services.practices.model import Fields

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from bot.shell.demo import DemoWorld
    from sandbox import Sandbox


def _codes(*names: str) -> tuple[str, ...]:
    out = []
    for name in names:
        found = municipalities.resolve(name)
        assert found is not None, name
        out.append(found.code)
    return tuple(out)


def P(
    title: str,
    summary: str,
    *,
    themes: tuple[str, ...],
    targets: tuple[str, ...],
    where: tuple[str, ...],
    orgs: tuple[str, ...],
    status: str = "ongoing",
    funding: tuple[str, ...] = ("municipal",),
    sek: int | None = None,
    description: str = "",
    factors: str = "",
    lessons: str = "",
    start: date | None = None,
    end: date | None = None,
    links: tuple[str, ...] = (),
) -> Fields:
    return Fields(
        title=title,
        summary=summary,
        description=description,
        themes=themes,
        targets=targets,
        organisations=orgs,
        municipalities=_codes(*where),
        status=status,
        start_date=start,
        end_date=end,
        funding=funding,
        funding_sek=sek,
        success_factors=factors,
        lessons=lessons,
        links=links,
    )


LYSEKIL = ("Lysekils kommun",)
PRACTICES: tuple[Fields, ...] = (
    P(
        "Samhällsguider i Lysekil",
        "Nyanlända som varit i Sverige några år guidar nyanlända i vardagen: myndigheter, skola, vård.",
        themes=("civic",),
        targets=("newly_arrived_adults",),
        where=("Lysekil",),
        orgs=LYSEKIL,
        funding=("state_refugee_funds",),
        sek=1_200_000,
        start=date(2016, 3, 1),
        end=date(2018, 12, 31),
        status="ended",
        description="Guiderna talar arabiska, dari och tigrinja och möter nya familjer första veckan.",
        factors="Guider med egen erfarenhet av att komma ny; fast kontaktperson på kommunen.",
        lessons="Verksamheten upphörde när statsbidraget tog slut; planera finansieringen i tid.",
    ),
    P(
        "Praktikplatser för nyanlända i kommunens verksamheter",
        "Kommunen ordnar praktik i egna verksamheter med handledare och språkstöd.",
        themes=("work",),
        targets=("newly_arrived_adults", "far_from_labour_market"),
        where=("Lysekil",),
        orgs=LYSEKIL,
        funding=("state_refugee_funds",),
        start=date(2016, 9, 1),
        description="Praktik inom äldreomsorg, förskola, kök och fastighetsskötsel.",
        factors="Utbildade handledare och en praktiksamordnare som följer upp varje vecka.",
    ),
    P(
        "TMO-utbildning för personal på HVB-hem",
        "Traumamedveten omsorg (TMO) för personal som arbetar med ensamkommande barn.",
        themes=("competence", "health", "unaccompanied"),
        targets=("staff", "unaccompanied_minors"),
        where=("Lysekil",),
        orgs=LYSEKIL,
        funding=("state_refugee_funds",),
        status="ended",
        start=date(2016, 1, 15),
        end=date(2017, 6, 30),
        description="Alla medarbetare på kommunens HVB-hem gick utbildningen i traumamedveten omsorg.",
        factors="Hela arbetslag utbildades tillsammans; handledning efteråt.",
    ),
    P(
        "Läxhjälp i föreningslivet",
        "Föreningar och skolan ordnar läxhjälp på kvällstid för elever som är nya i Sverige.",
        themes=("school", "leisure"),
        targets=("families_children",),
        where=("Lysekil",),
        orgs=("Lysekils kommun", "Röda korset"),
        funding=("state_refugee_funds",),
    ),
    P(
        "Idrottsskola för nyanlända barn",
        "Idrottsföreningar tar emot nyanlända barn i en prova-på-skola varje lördag.",
        themes=("leisure",),
        targets=("families_children", "unaccompanied_minors"),
        where=("Lysekil",),
        orgs=("Lysekils kommun", "Lysekils IF"),
        funding=("state_refugee_funds",),
    ),
    P(
        "Modersmålsstöd i förskolan",
        "Språkstödjare med arabiska och somaliska finns i förskolans vardag.",
        themes=("language", "school"),
        targets=("families_children",),
        where=("Lysekil",),
        orgs=LYSEKIL,
    ),
    P(
        "Sommarjobb för ensamkommande ungdomar",
        "Feriearbete i kommunen för ensamkommande ungdomar, med en vuxen kontakt på arbetsplatsen.",
        themes=("work", "unaccompanied"),
        targets=("unaccompanied_minors",),
        where=("Lysekil",),
        orgs=LYSEKIL,
        status="ended",
        end=date(2019, 8, 31),
        start=date(2017, 6, 1),
    ),
    P(
        "Kompetensutveckling för 400 medarbetare (LIS)",
        "Lyckad integration i Skåne ger 400 medarbetare som möter ensamkommande barn och unga kompetensutveckling.",
        themes=("competence", "unaccompanied"),
        targets=("staff", "unaccompanied_minors"),
        where=("Staffanstorp", "Lomma", "Burlöv"),
        orgs=("Staffanstorps kommun", "Lomma kommun", "Burlövs kommun"),
        funding=("esf",),
        sek=9_800_000,
        start=date(2017, 1, 1),
        end=date(2019, 12, 31),
        status="ended",
        description="Utbildningar, nätverk över professionsgränser och handledning. "
        "Ensam klarar ingen av att lösa integrationsutmaningen.",
        factors="Tre kommuner delade på kostnaden; ESF-finansiering.",
    ),
    P(
        "Nätverk över professionsgränser för HVB och skola",
        "Socialtjänst, skola och HVB träffas varannan månad kring ensamkommande ungas vardag.",
        themes=("coordination", "unaccompanied"),
        targets=("staff",),
        where=("Burlöv",),
        orgs=("Burlövs kommun",),
        funding=("esf",),
    ),
    P(
        "Integration Hallands inventering av insatser",
        "En inventering av allt som görs och planeras för nyanlända i Hallands sex kommuner.",
        themes=("coordination",),
        targets=("staff",),
        where=("Halmstad", "Varberg", "Falkenberg", "Kungsbacka", "Laholm", "Hylte"),
        orgs=("Region Halland",),
        status="planned",
        description="Konferensen med 80 deltagare efterfrågade en samlad bild och framgångsfaktorer.",
    ),
    P(
        "Material för nyanlända om Halland",
        "Inventeringen sammanställs till lättläst material som riktar sig direkt till nyanlända.",
        themes=("civic",),
        targets=("newly_arrived_adults",),
        where=("Halmstad",),
        orgs=("Region Halland",),
        status="planned",
        funding=("other",),
    ),
    P(
        "Samhällsorientering på modersmål i Halmstad",
        "Samhällsorientering för nyanlända på arabiska, dari, somaliska och tigrinja.",
        themes=("civic", "language"),
        targets=("newly_arrived_adults",),
        where=("Halmstad",),
        orgs=("Halmstads kommun",),
        funding=("state_refugee_funds",),
    ),
    P(
        "Språkcafé på biblioteket",
        "Biblioteket och studieförbundet håller språkcafé varje onsdag för den som vill öva svenska.",
        themes=("language", "leisure"),
        targets=("newly_arrived_adults", "women"),
        where=("Varberg",),
        orgs=("Varbergs bibliotek", "ABF"),
        funding=("municipal",),
    ),
    P(
        "Kvinnors väg till arbete",
        "Ett program för utrikes födda kvinnor långt från arbetsmarknaden med studiebesök och praktik.",
        themes=("work",),
        targets=("women", "far_from_labour_market"),
        where=("Falkenberg",),
        orgs=("Falkenbergs kommun", "Arbetsförmedlingen"),
        funding=("esf",),
        sek=3_400_000,
    ),
    P(
        "Validering av utländsk vårdutbildning",
        "Stöd att få utländsk utbildning inom vård bedömd och kompletterad.",
        themes=("work", "competence"),
        targets=("newly_arrived_adults",),
        where=("Halmstad",),
        orgs=("Region Halland",),
        funding=("other",),
    ),
    P(
        "SFI med yrkesinriktning mot bygg",
        "Svenska för invandrare kombinerad med yrkesutbildning inom bygg och anläggning.",
        themes=("language", "work", "school"),
        targets=("newly_arrived_adults",),
        where=("Varberg",),
        orgs=("Varbergs kommun",),
    ),
    P(
        "Bostadsskola för nyanlända familjer",
        "Kurs om hyreskontrakt, grannsamverkan och att sköta ett hem.",
        themes=("housing", "civic"),
        targets=("families_children",),
        where=("Kungsbacka",),
        orgs=("Kungsbacka kommun", "Hyresgästföreningen"),
    ),
    P(
        "Mimers Kollage i Västerås",
        "Ett exempel Söderhamns nätverk tog med sig: Kollage samlar kultur, språk och föreningsliv.",
        themes=("leisure", "language"),
        targets=("newly_arrived_adults", "families_children"),
        where=("Västerås",),
        orgs=("Mimer",),
        funding=("other",),
        description="Omvärldsbevakning: medlemmarna delar goda exempel från andra kommuner.",
    ),
    P(
        "Söderhamns integrationsnätverk",
        "Medlemmar från alla förvaltningar träffas en gång i månaden; strategiska frågor och snabbare bollar.",
        themes=("coordination",),
        targets=("staff",),
        where=("Söderhamn",),
        orgs=("Söderhamns kommun",),
        factors="Frågor tas med tillbaka till förvaltningarna.",
    ),
    P(
        "Hälsoskola för nyanlända",
        "Hälsokommunikatörer berättar om vården, psykisk hälsa och tandvård på modersmål.",
        themes=("health", "civic"),
        targets=("newly_arrived_adults",),
        where=("Söderhamn",),
        orgs=("Söderhamns kommun", "Region Gävleborg"),
        funding=("state_refugee_funds",),
    ),
    P(
        "Gode män för ensamkommande",
        "Rekrytering och utbildning av gode män och särskilt förordnade vårdnadshavare.",
        themes=("unaccompanied",),
        targets=("unaccompanied_minors",),
        where=("Munkedal",),
        orgs=("Munkedals kommun",),
    ),
    P(
        "Traumamedveten skola",
        "Lärare lär sig möta elever med traumaerfarenhet; kopplad till elevhälsan.",
        themes=("school", "health", "competence"),
        targets=("staff", "families_children"),
        where=("Uddevalla",),
        orgs=("Uddevalla kommun",),
    ),
    P(
        "Jobbspår inom äldreomsorgen",
        "Arbetsförmedlingen och kommunen utbildar nyanlända till undersköterskor med anställning.",
        themes=("work",),
        targets=("newly_arrived_adults", "far_from_labour_market"),
        where=("Uddevalla",),
        orgs=("Uddevalla kommun", "Arbetsförmedlingen"),
    ),
    P(
        "Föräldrastöd i nytt land",
        "Föräldragrupper om att vara förälder i Sverige, med tolk.",
        themes=("civic",),
        targets=("families_children",),
        where=("Strömstad",),
        orgs=("Strömstads kommun",),
        funding=("arvsfonden",),
        sek=850_000,
    ),
    P(
        "Fritidsbank och utlåning av utrustning",
        "Gratis lån av skidor, cyklar och flytvästar så att alla barn kan vara med.",
        themes=("leisure",),
        targets=("families_children",),
        where=("Sotenäs",),
        orgs=("Sotenäs kommun",),
    ),
    P(
        "Simundervisning för vuxna kvinnor",
        "Simskola för nyanlända kvinnor med kvinnliga instruktörer.",
        themes=("leisure", "health"),
        targets=("women",),
        where=("Tanum",),
        orgs=("Tanums kommun",),
    ),
    P(
        "Samverkan med Arbetsförmedlingen om etableringen",
        "En gemensam plan för varje nyanländ i etableringsprogrammet, med träffar varje månad.",
        themes=("coordination", "work"),
        targets=("newly_arrived_adults",),
        where=("Orust",),
        orgs=("Orust kommun", "Arbetsförmedlingen"),
    ),
    P(
        "Boendestöd för ensamkommande över 18",
        "Stödboende med coach för unga vuxna som kom som ensamkommande barn.",
        themes=("housing", "unaccompanied"),
        targets=("unaccompanied_minors",),
        where=("Munkedal",),
        orgs=("Munkedals kommun",),
    ),
    P(
        "Studiecirklar i svenska med Röda korset",
        "Volontärer leder studiecirklar i vardagssvenska.",
        themes=("language",),
        targets=("newly_arrived_adults",),
        where=("Lysekil",),
        orgs=("Röda korset",),
        funding=("other",),
    ),
    P(
        "Digital samhällsinformation",
        "Korta filmer om samhället på tio språk, för nyanlända som inte kan komma på plats.",
        themes=("civic",),
        targets=("newly_arrived_adults",),
        where=("Laholm",),
        orgs=("Laholms kommun",),
        status="planned",
    ),
)


async def seed_practices(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    """The demo network's inventory (once: nothing when it already holds practices)."""
    guild_id = int(world.guild.id)
    if await bot.db.fetchval("SELECT 1 FROM practices WHERE guild_id = ? LIMIT 1", (guild_id,)):
        return
    admin = world.users.get("maria")
    owner = int(admin.id) if admin is not None else None
    now = bot.clock.now()
    from cogs.practices import _forum  # the shell runs the whole bot: its posts too

    guild = bot.get_guild(guild_id)
    for fields in PRACTICES:
        practice = await model.create(
            bot.db, guild_id, replace(fields, contact_user_id=owner), user_id=owner, now=now
        )
        await _forum.sync(bot, guild, practice)
