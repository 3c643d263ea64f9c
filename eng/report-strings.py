#!/usr/bin/env python3
# Writes src/Okr.Reporting/Resources/ReportStrings*.resx from the table below: one row per text the reports render,
# in English (the neutral resources), German, French and Norwegian Bokmål. Run it after changing a text:
#   python3 eng/report-strings.py
import os
from xml.sax.saxutils import escape

T = [
 # key, en, de, fr, nb
 ("ReportTitle", "{0}: OKR report", "{0}: OKR-Bericht", "{0} : rapport OKR", "{0}: OKR-rapport"),
 ("DateRange", "{0} to {1}", "{0} bis {1}", "du {0} au {1}", "{0} til {1}"),
 ("Meta", "{0}, {1}; as of {2}{3}.", "{0}, {1}; Stand {2}{3}.", "{0}, {1} ; au {2}{3}.", "{0}, {1}; per {2}{3}."),
 ("TerminalMeta", "({0}, as of {1})", "({0}, Stand {1})", "({0}, au {1})", "({0}, per {1})"),
 ("PeriodState.Planning", "Planning", "In Planung", "En préparation", "Under planlegging"),
 ("PeriodState.Active", "Active", "Aktiv", "Active", "Aktiv"),
 ("PeriodState.Closed", "Closed", "Abgeschlossen", "Clôturée", "Avsluttet"),
 ("PeriodState.Archived", "Archived", "Archiviert", "Archivée", "Arkivert"),
 ("ObjectiveState.Draft", "draft", "Entwurf", "brouillon", "utkast"),
 ("ObjectiveState.Active", "active", "aktiv", "actif", "aktiv"),
 ("ObjectiveState.Closed", "closed", "abgeschlossen", "clôturé", "avsluttet"),
 ("ObjectiveState.Cancelled", "cancelled", "abgebrochen", "annulé", "avbrutt"),
 ("PeriodScore", "Period score", "Periodenergebnis", "Score de la période", "Periodens resultat"),
 ("FinalScore", "Final score", "Endergebnis", "Score final", "Endelig resultat"),
 ("ScoreLine", "{0}: **{1}**.", "{0}: **{1}**.", "{0} : **{1}**.", "{0}: **{1}**."),
 ("Heading.Tree", "Alignment tree", "Ausrichtungsbaum", "Arbre d'alignement", "Justeringstre"),
 ("Heading.ChartsClosed", "Key results over the period", "Schlüsselergebnisse im Verlauf der Periode", "Résultats clés sur la période", "Nøkkelresultater gjennom perioden"),
 ("Heading.ChartsPace", "Key results against the expected pace", "Schlüsselergebnisse im Vergleich zum erwarteten Tempo", "Résultats clés face au rythme attendu", "Nøkkelresultater mot forventet tempo"),
 ("Heading.Missed", "Missed", "Verfehlt", "Non atteints", "Ikke nådd"),
 ("Heading.Overridden", "Grades set by a person", "Von einer Person gesetzte Bewertungen", "Notes fixées par une personne", "Karakterer satt av en person"),
 ("Heading.AtRisk", "At risk", "Gefährdet", "À risque", "I faresonen"),
 ("Heading.Stale", "Stale", "Veraltet", "Sans nouvelles", "Utdatert"),
 ("Heading.Coverage", "Alignment coverage", "Abdeckung der Ausrichtung", "Couverture de l'alignement", "Justeringsdekning"),
 ("None.Objectives", "No objectives.", "Keine Ziele.", "Aucun objectif.", "Ingen mål."),
 ("None.Missed", "Every graded objective met its expectation.", "Jedes bewertete Ziel hat seine Erwartung erfüllt.", "Chaque objectif noté a atteint son attente.", "Alle vurderte mål nådde forventningen."),
 ("None.Overridden", "No grade was overridden.", "Keine Bewertung wurde überschrieben.", "Aucune note n'a été modifiée.", "Ingen karakter ble overstyrt."),
 ("None.AtRisk", "Nothing is at risk or off track.", "Nichts ist gefährdet oder vom Kurs abgekommen.", "Rien n'est à risque ni hors trajectoire.", "Ingenting er i faresonen eller ute av kurs."),
 ("None.Stale", "Every key result has a recent check-in.", "Jedes Schlüsselergebnis hat eine aktuelle Rückmeldung.", "Chaque résultat clé a un point récent.", "Alle nøkkelresultater har en fersk innsjekking."),
 ("Column.Owner", "owner", "Verantwortlich", "responsable", "eier"),
 ("Column.Objectives", "objectives", "Ziele", "objectifs", "mål"),
 ("Column.Aligned", "aligned", "ausgerichtet", "alignés", "justert"),
 ("Column.Share", "share", "Anteil", "part", "andel"),
 ("Column.KeyResult", "key result", "Schlüsselergebnis", "résultat clé", "nøkkelresultat"),
 ("Column.Objective", "objective", "Ziel", "objectif", "mål"),
 ("Column.Progress", "progress", "Fortschritt", "progression", "fremdrift"),
 ("Column.Expected", "expected", "erwartet", "attendu", "forventet"),
 ("Column.Health", "health", "Zustand", "santé", "helse"),
 ("Column.LastCheckIn", "last check-in", "letzte Rückmeldung", "dernier point", "siste innsjekking"),
 ("Column.Computed", "computed", "berechnet", "calculée", "beregnet"),
 ("Column.Grade", "grade", "Bewertung", "note", "karakter"),
 ("Column.SetBy", "set by", "gesetzt von", "fixée par", "satt av"),
 ("Column.Why", "why", "Begründung", "raison", "begrunnelse"),
 ("Scope.Under", "under {0}", "unterhalb von {0}", "sous {0}", "innenfor {0}"),
 ("Scope.OwnedBy", "owned by {0}", "verantwortet von {0}", "détenus par {0}", "eid av {0}"),
 ("Scope.TopLevel", "top level", "oberste Ebene", "premier niveau", "øverste nivå"),
 ("Scope.TopLevels", "top {0} levels", "oberste {0} Ebenen", "{0} premiers niveaux", "øverste {0} nivåer"),
 ("Cancelled", "{0} (cancelled)", "{0} (abgebrochen)", "{0} (annulé)", "{0} (avbrutt)"),
 ("More.Html", "… and {0} more (a report scoped to an owner or a subtree lists them).", "… und {0} weitere (ein Bericht für eine verantwortliche Person oder einen Teilbaum zeigt sie).", "… et {0} de plus (un rapport limité à un responsable ou à un sous-arbre les montre).", "… og {0} til (en rapport avgrenset til en eier eller et undertre viser dem)."),
 ("More.Markdown", "… and {0} more.", "… und {0} weitere.", "… et {0} de plus.", "… og {0} til."),
 ("More.Terminal", "... and {0} more", "... und {0} weitere", "... et {0} de plus", "... og {0} til"),
 ("Chart.Holding", "holding {0}", "hält {0}", "se maintient {0}", "holder seg {0}"),
 ("Chart.Against", "against {0} expected", "gegenüber {0} erwartet", "pour {0} attendus", "mot {0} forventet"),
 ("Chart.Label", "{0}: {1} {2}", "{0}: {1} {2}", "{0} : {1} {2}", "{0}: {1} {2}"),
 ("Chart.Today", "today", "heute", "aujourd'hui", "i dag"),
 ("Chart.NoCheckIns", "no check-ins yet", "noch keine Rückmeldungen", "pas encore de point", "ingen innsjekkinger ennå"),
 ("Chart.CaptionHold", "{0}, to hold {1} all period", "{0}, die ganze Periode {1} zu halten", "{0}, à tenir {1} toute la période", "{0}, skal holdes {1} hele perioden"),
 ("OfExpected", "{0} of {1} expected", "{0} von {1} erwartet", "{0} sur {1} attendus", "{0} av {1} forventet"),
 ("Health.OnTrack", "on track", "im Plan", "en bonne voie", "i rute"),
 ("Health.AtRisk", "at risk", "gefährdet", "à risque", "i faresonen"),
 ("Health.OffTrack", "off track", "vom Kurs abgekommen", "hors trajectoire", "ute av kurs"),
 ("Health.Stale", "stale", "veraltet", "sans nouvelles", "utdatert"),
 ("Health.NoData", "no data", "keine Daten", "aucune donnée", "ingen data"),
 ("Met", "met", "erreicht", "atteint", "nådd"),
 ("Missed", "missed", "verfehlt", "non atteint", "ikke nådd"),
 ("Never", "never", "nie", "jamais", "aldri"),
 ("Recorded", "{0} (recorded {1})", "{0} (erfasst am {1})", "{0} (saisi le {1})", "{0} (registrert {1})"),
 ("Grade", "{0}, {1} ({2} expected)", "{0}, {1} ({2} erwartet)", "{0}, {1} ({2} attendus)", "{0}, {1} ({2} forventet)"),
 ("Graded", "graded {0}", "bewertet mit {0}", "noté {0}", "vurdert til {0}"),
 ("Override", "set to {0} from {1} by {2}: {3}", "von {1} auf {0} gesetzt durch {2}: {3}", "fixée à {0} au lieu de {1} par {2} : {3}", "satt til {0} fra {1} av {2}: {3}"),
 ("Hold.Above", "at or above {0}", "bei oder über {0}", "à {0} ou plus", "på eller over {0}"),
 ("Hold.Below", "at or below {0}", "bei oder unter {0}", "à {0} ou moins", "på eller under {0}"),
 ("Hold.Between", "between {0} and {1}", "zwischen {0} und {1}", "entre {0} et {1}", "mellom {0} og {1}"),
 ("Coverage", "{0}: {1} of {2} aligned", "{0}: {1} von {2} ausgerichtet", "{0} : {1} sur {2} alignés", "{0}: {1} av {2} justert"),
 ("KeyResultLine", "{0} of {1} expected, {2}, last check-in {3}", "{0} von {1} erwartet, {2}, letzte Rückmeldung {3}", "{0} sur {1} attendus, {2}, dernier point {3}", "{0} av {1} forventet, {2}, siste innsjekking {3}"),
]

HEADER = '''<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by eng/report-strings.py from its table: edit the table, not this file. -->
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "Okr.Reporting", "Resources")
assert len({k for k, *_ in T}) == len(T), "duplicate key"
for index, suffix in [(1, ""), (2, ".de"), (3, ".fr"), (4, ".nb")]:
    with open(os.path.join(root, f"ReportStrings{suffix}.resx"), "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER)
        for row in T:
            f.write(f'  <data name="{row[0]}" xml:space="preserve"><value>{escape(row[index])}</value></data>\n')
        f.write("</root>\n")
