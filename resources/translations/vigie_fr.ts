<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ApprovalsPanel</name>
    <message>
        <source>Choose a request to read it.</source>
        <translation>Choisissez une demande pour la lire.</translation>
    </message>
    <message>
        <source>Why it is refused (required to refuse)</source>
        <translation>Pourquoi elle est refusée (obligatoire pour refuser)</translation>
    </message>
    <message>
        <source>Approve: it goes out now</source>
        <translation>Approuver : elle part aussitôt</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <source>%1 (its recorded text differs: read it)</source>
        <translation>%1 (son texte enregistré diffère : lisez-le)</translation>
    </message>
    <message>
        <source>%1 asks, until %2: %3</source>
        <translation>%1 demande, jusqu’à %2 : %3</translation>
    </message>
    <message>
        <source>Warning: Vigie could not rebuild what this request does (%1). The text below is only what the requester&apos;s console recorded: nothing checked it.</source>
        <translation>Attention : Vigie n&apos;a pas pu reconstituer ce que fait cette demande (%1). Le texte ci-dessous est seulement ce qu&apos;a enregistré la console du demandeur : rien ne l&apos;a vérifié.</translation>
    </message>
    <message>
        <source>Warning: the text recorded with this request is not what it does. What approving it does is shown first; the recorded text follows, for comparison.</source>
        <translation>Attention : le texte enregistré avec cette demande ne correspond pas à ce qu&apos;elle fait. Ce que fait son approbation est affiché d&apos;abord ; le texte enregistré suit, pour comparaison.</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Motif : %1</translation>
    </message>
    <message>
        <source>Requested by %1</source>
        <translation>Demandé par %1</translation>
    </message>
    <message>
        <source>As the requester&apos;s console recorded it:</source>
        <translation>Tel que la console du demandeur l&apos;a enregistré :</translation>
    </message>
    <message>
        <source>What approving it does:</source>
        <translation>Ce que fait son approbation :</translation>
    </message>
    <message>
        <source>What approving it does, rebuilt from the request:</source>
        <translation>Ce que fait son approbation, reconstitué à partir de la demande :</translation>
    </message>
    <message>
        <source>What the requester&apos;s console recorded (not checked):</source>
        <translation>Ce qu&apos;a enregistré la console du demandeur (non vérifié) :</translation>
    </message>
    <message>
        <source>You asked for it: another operator approves it</source>
        <translation>Vous l’avez demandé : un autre opérateur l’approuve</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>Nothing in this period</source>
        <extracomment>A bar&apos;s thickness, as a share of its row. Names on rows are elided past this many pixels. Pixels between a bar&apos;s end and its figure, and kept free after the figure. How opaque the ordinary (grey) bars are drawn, in the theme&apos;s text colour.</extracomment>
        <translation>Rien sur cette période</translation>
    </message>
</context>
<context>
    <name>CallFormDialog</name>
    <message>
        <source>Phone call (Allo mairie)</source>
        <translation>Appel (Allo mairie)</translation>
    </message>
    <message>
        <source>— what is it about? —</source>
        <translation>— de quoi s&apos;agit-il ? —</translation>
    </message>
    <message>
        <source>What the caller says</source>
        <translation>Ce que dit l&apos;appelant</translation>
    </message>
    <message>
        <source>Address or landmark</source>
        <translation>Adresse ou repère</translation>
    </message>
    <message>
        <source>— commune —</source>
        <translation>— commune —</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Latitude</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Longitude</translation>
    </message>
    <message>
        <source>Caller (kept apart, deleted after the incident closes)</source>
        <translation>Appelant (conservé à part, effacé après la clôture de l&apos;incident)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Courriel</translation>
    </message>
    <message>
        <source>Create the incident</source>
        <translation>Créer l&apos;incident</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Latitude and longitude are numbers, such as 47.3220.</source>
        <translation>Latitude et longitude sont des nombres, comme 47,3220.</translation>
    </message>
</context>
<context>
    <name>CommandDialog</name>
    <message>
        <source>Command equipment</source>
        <translation>Commander des équipements</translation>
    </message>
    <message>
        <source>The %1 selected devices</source>
        <translation>Les %1 équipements sélectionnés</translation>
    </message>
    <message>
        <source>This device: %1</source>
        <translation>Cet équipement : %1</translation>
    </message>
    <message>
        <source>Its group: %1</source>
        <translation>Son groupe : %1</translation>
    </message>
    <message>
        <source>Every %1 of %2</source>
        <translation>Tous les %1 de %2</translation>
    </message>
    <message>
        <source>Every %1 of the métropole</source>
        <translation>Tous les %1 de la métropole</translation>
    </message>
    <message>
        <source>+2h, +30m or 2026-11-25T22:00 (optional)</source>
        <translation>+2h, +30m ou 2026-11-25T22:00 (facultatif)</translation>
    </message>
    <message>
        <source>Required when the command waits for approval</source>
        <translation>Obligatoire quand la commande attend une approbation</translation>
    </message>
    <message>
        <source>Preview the command to read what will be sent.</source>
        <translation>Prévisualisez la commande pour lire ce qui sera envoyé.</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Jusqu&apos;à</translation>
    </message>
    <message>
        <source>Valid for</source>
        <translation>Valable</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Prévisualiser</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Will send: %1</source>
        <translation>Va envoyer : %1</translation>
    </message>
</context>
<context>
    <name>CommandLogModel</name>
    <message>
        <source>Sent</source>
        <extracomment>Outcomes an operator must look at: something did not happen, or nobody knows.</extracomment>
        <translation>Envoyée</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>The device&apos;s answer came after the command was recorded as timed out: this is the answer it gave.</source>
        <translation>La réponse de l&apos;équipement est arrivée après que la commande a été enregistrée sans réponse : c&apos;est la réponse qu&apos;il a donnée.</translation>
    </message>
    <message>
        <source>{status} (late)</source>
        <translation>{status} (en retard)</translation>
    </message>
</context>
<context>
    <name>CommandLogPanel</name>
    <message>
        <source>All</source>
        <translation>Toutes</translation>
    </message>
    <message>
        <source>Not done (failed, partial, timed out…)</source>
        <translation>Non abouties (échec, partiel, sans réponse…)</translation>
    </message>
    <message>
        <source>Waiting for acks</source>
        <translation>En attente d&apos;acquittement</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Faites</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Re-run…</source>
        <translation>Relancer…</translation>
    </message>
</context>
<context>
    <name>CommuneEnergyModel</name>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Used (kWh)</source>
        <translation>Consommé (kWh)</translation>
    </message>
    <message>
        <source>At full power (kWh)</source>
        <translation>À pleine puissance (kWh)</translation>
    </message>
    <message>
        <source>Saved (kWh)</source>
        <translation>Économisé (kWh)</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Économie</translation>
    </message>
    <message>
        <source>Policy as written</source>
        <translation>Politique telle qu’écrite</translation>
    </message>
    <message>
        <source>The saving the city&apos;s policy would make over one night, as written</source>
        <translation>L’économie que ferait la politique de la ville sur une nuit, telle qu’elle est écrite</translation>
    </message>
</context>
<context>
    <name>DeskLock</name>
    <message>
        <source>Locked. %1 is logged in.</source>
        <extracomment>What counts as someone at the desk: a key pressed or the mouse used, anywhere in the console.</extracomment>
        <translation>Verrouillé. %1 est connecté.</translation>
    </message>
    <message>
        <source>Log in…</source>
        <translation>Se connecter…</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>Dispatch a unit</source>
        <translation>Engager une unité</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Re-task a unit</source>
        <translation>Réaffecter une unité</translation>
    </message>
</context>
<context>
    <name>EnergyPanel</name>
    <message>
        <source>All communes</source>
        <extracomment>The nights the panel shows by default. Below this many euros, cents are worth writing.</extracomment>
        <translation>Toutes les communes</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Read again</source>
        <translation>Relire</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Consommé</translation>
    </message>
    <message>
        <source>At full power, same hours</source>
        <translation>À pleine puissance, mêmes heures</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Économisé</translation>
    </message>
    <message>
        <source>Saved, in euros</source>
        <translation>Économisé, en euros</translation>
    </message>
    <message>
        <source>Saved, in CO₂</source>
        <translation>Économisé, en CO₂</translation>
    </message>
    <message>
        <source>Apply the policy…</source>
        <translation>Appliquer la politique…</translation>
    </message>
    <message>
        <source>Preview what applying the lighting policy sends to every group, then apply</source>
        <translation>Prévisualiser ce que l&apos;application de la politique d&apos;éclairage envoie à chaque groupe, puis appliquer</translation>
    </message>
    <message>
        <source>Point at a night to read its figures.</source>
        <translation>Pointez une nuit pour lire ses chiffres.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Lecture…</translation>
    </message>
    <message>
        <source>Read at %1</source>
        <translation>Lu à %1</translation>
    </message>
    <message>
        <source>all communes</source>
        <translation>toutes les communes</translation>
    </message>
    <message>
        <source>Street lighting&apos;s energy, night by night</source>
        <translation>L’énergie de l’éclairage public, nuit par nuit</translation>
    </message>
    <message>
        <source>Last %1 nights, %2 to %3, %4</source>
        <translation>%1 dernières nuits, du %2 au %3, %4</translation>
    </message>
    <message>
        <source>Nothing recorded in these nights yet</source>
        <translation>Rien d’enregistré sur ces nuits pour l’instant</translation>
    </message>
    <message>
        <source>over %1 night(s)</source>
        <translation>sur %1 nuit(s)</translation>
    </message>
    <message>
        <source>no tariff: the policy file is unreadable</source>
        <translation>pas de tarif : le fichier de politique est illisible</translation>
    </message>
    <message>
        <source>at %1 €/kWh</source>
        <translation>à %1 €/kWh</translation>
    </message>
    <message>
        <source>at %1 kg CO₂/kWh</source>
        <translation>à %1 kg CO₂/kWh</translation>
    </message>
    <message>
        <source>%1 kWh</source>
        <translation>%1 kWh</translation>
    </message>
    <message>
        <source>Policy as written: not projected</source>
        <translation>Politique telle qu’écrite : non projetée</translation>
    </message>
    <message>
        <source>Policy as written: no street light of a group here to project</source>
        <translation>Politique telle qu’écrite : aucun luminaire d’un groupe ici à projeter</translation>
    </message>
    <message>
        <source>Policy as written, night of %1: %2 kWh a night against %3 at full power for %4 lights, saving %5 kWh (%6)</source>
        <translation>Politique telle qu’écrite, nuit du %1 : %2 kWh par nuit contre %3 à pleine puissance pour %4 luminaires, soit %5 kWh économisés (%6)</translation>
    </message>
    <message>
        <source>, %1 a night</source>
        <translation>, %1 par nuit</translation>
    </message>
</context>
<context>
    <name>EquipmentPanel</name>
    <message>
        <source>All types</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Tous les états</translation>
    </message>
    <message>
        <source>All communes</source>
        <translation>Toutes les communes</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Command…</source>
        <translation>Commander…</translation>
    </message>
    <message>
        <source>Some selected rows are not read yet: wait for them to show, or select fewer</source>
        <translation>Des lignes choisies ne sont pas encore lues : attendez qu&apos;elles s&apos;affichent, ou choisissez-en moins</translation>
    </message>
    <message>
        <source>%1 shown</source>
        <translation>%1 affichés</translation>
    </message>
</context>
<context>
    <name>EquipmentTableModel</name>
    <message>
        <source>Device</source>
        <extracomment>The greys of equipment nobody can vouch for: its last state is too old, or its link is lost. States whose values are the last ones heard, not the present. The states&apos; order in the table, whatever the language of their words: what needs action first, then the silent, then the working. The paged table&apos;s database orders them alike (``services.store.equipment_page.STATE_ORDER``). New devices shown at once; the others over the next turns of the event loop (``tables``). The roles ``data`` answers; the others, asked of every painted cell, get None at once.</extracomment>
        <translation>Équipement</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Status reported</source>
        <translation>Statut remonté</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <source>Heard</source>
        <translation>Entendu</translation>
    </message>
    <message>
        <source>Last values heard %1 ago</source>
        <translation>Dernières valeurs entendues il y a %1</translation>
    </message>
</context>
<context>
    <name>FaultTableModel</name>
    <message>
        <source>Device</source>
        <translation>Équipement</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>Panne</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>In fault for</source>
        <translation>En panne depuis</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Incident</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>pas encore</translation>
    </message>
    <message>
        <source>#%1 (gateway %2)</source>
        <translation>n° %1 (passerelle %2)</translation>
    </message>
</context>
<context>
    <name>FaultsPanel</name>
    <message>
        <source>Open the incident</source>
        <translation>Ouvrir l&apos;incident</translation>
    </message>
    <message>
        <source>Show on the map</source>
        <translation>Voir sur la carte</translation>
    </message>
    <message>
        <source>%1 device(s) in fault</source>
        <translation>%1 équipement(s) en panne</translation>
    </message>
</context>
<context>
    <name>IncidentDetailPanel</name>
    <message>
        <source>Acknowledge</source>
        <extracomment>The moves an operator makes from this panel; dispatching has its own flow (the map&apos;s).</extracomment>
        <translation>Prendre en compte</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Résoudre</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Clore</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>No incident selected</source>
        <extracomment>On a note&apos;s item in the list: whether the citizen reads it (its id is the UserRole).</extracomment>
        <translation>Aucun incident sélectionné</translation>
    </message>
    <message>
        <source>Status</source>
        <extracomment>A unit&apos;s name from its id (the console knows the field&apos;s units); the id if unknown.</extracomment>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origine</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>Dispatch…</source>
        <translation>Engager…</translation>
    </message>
    <message>
        <source>Reason for the new priority</source>
        <translation>Motif de la nouvelle priorité</translation>
    </message>
    <message>
        <source>Set priority</source>
        <translation>Changer la priorité</translation>
    </message>
    <message>
        <source>Merge into the selected one (duplicate)</source>
        <translation>Fusionner dans l&apos;incident sélectionné (doublon)</translation>
    </message>
    <message>
        <source>Possible duplicates (same category, 100 m, 2 h)</source>
        <translation>Doublons possibles (même catégorie, 100 m, 2 h)</translation>
    </message>
    <message>
        <source>Public: the citizen reads it</source>
        <translation>Public : le citoyen le lit</translation>
    </message>
    <message>
        <source>The note is sent to the citizen who reported this incident, as written. Unticked, it stays internal to the room.</source>
        <translation>La note est transmise telle quelle au citoyen qui a signalé cet incident. Non cochée, elle reste interne à la salle.</translation>
    </message>
    <message>
        <source>What the citizen reads</source>
        <translation>Ce que lit le citoyen</translation>
    </message>
    <message>
        <source>[public]</source>
        <translation>[public]</translation>
    </message>
    <message>
        <source>Public: the citizen who reported it can read this note.</source>
        <translation>Publique : le citoyen qui l&apos;a signalé peut lire cette note.</translation>
    </message>
    <message>
        <source>Internal: only the room reads this note.</source>
        <translation>Interne : seule la salle lit cette note.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvert</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Clos</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Statut : %1</translation>
    </message>
    <message>
        <source>No public note yet: the citizen sees the status only.</source>
        <translation>Aucune note publique : le citoyen ne voit que le statut.</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Note : %1</translation>
    </message>
    <message>
        <source>Make internal again</source>
        <translation>Rendre interne</translation>
    </message>
    <message>
        <source>The citizen will no longer read this note.</source>
        <translation>Le citoyen ne lira plus cette note.</translation>
    </message>
    <message>
        <source>Make public</source>
        <translation>Rendre publique</translation>
    </message>
    <message>
        <source>The citizen who reported it will read this note, as written.</source>
        <translation>Le citoyen qui l&apos;a signalé lira cette note telle quelle.</translation>
    </message>
    <message>
        <source>Select a note to make it public or internal.</source>
        <translation>Sélectionnez une note pour la rendre publique ou interne.</translation>
    </message>
    <message>
        <source>Write a note the citizen will read and press Enter</source>
        <translation>Écrivez une note que lira le citoyen et appuyez sur Entrée</translation>
    </message>
    <message>
        <source>Write a note and press Enter</source>
        <translation>Écrire une note puis Entrée</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>✎ Updated to v%1 while you were editing: what you typed is kept; check it against this version before sending it.</source>
        <translation>✎ Passé en v%1 pendant votre saisie : votre texte est conservé ; vérifiez-le au regard de cette version avant de l&apos;envoyer.</translation>
    </message>
    <message>
        <source>⟳ Changed since it was read (now v%1, %2): reading the latest…</source>
        <translation>⟳ Modifié depuis sa lecture (maintenant v%1, %2) : lecture de la dernière version…</translation>
    </message>
    <message>
        <source>⟳ Not the latest: v%1 is in the record but could not be read.</source>
        <translation>⟳ Pas la dernière version : la v%1 est enregistrée mais n&apos;a pas pu être lue.</translation>
    </message>
    <message>
        <source>⚠ As received: %1</source>
        <translation>⚠ À la réception : %1</translation>
    </message>
    <message>
        <source>Withdraw the unit</source>
        <translation>Retirer l&apos;unité</translation>
    </message>
    <message>
        <source>Takes %1 off this incident, which goes back to waiting for a unit. Vigie does not tell the crew: tell them by radio.</source>
        <translation>Retire %1 de cet incident, qui attend de nouveau une unité. Vigie ne prévient pas l&apos;équipage : prévenez-le par radio.</translation>
    </message>
    <message>
        <source>the unit</source>
        <translation>l&apos;unité</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Rouvrir</translation>
    </message>
    <message>
        <source>Opens the incident again: it goes back to waiting for a unit.</source>
        <translation>Rouvre l&apos;incident : il attend de nouveau une unité.</translation>
    </message>
    <message>
        <source>Say why the priority changes.</source>
        <translation>Indiquez pourquoi la priorité change.</translation>
    </message>
</context>
<context>
    <name>IncidentQueuePanel</name>
    <message>
        <source>Open</source>
        <extracomment>The filters while &quot;these incidents&quot; are shown: all of them, whatever their status.</extracomment>
        <translation>Ouverts</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tous</translation>
    </message>
    <message>
        <source>All priorities</source>
        <translation>Toutes priorités</translation>
    </message>
    <message>
        <source>All communes</source>
        <translation>Toutes les communes</translation>
    </message>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>Rechercher (Ctrl+F)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Show the whole queue again</source>
        <translation>Réafficher toute la file</translation>
    </message>
    <message numerus="yes">
        <source>%n incident(s)</source>
        <translation>
            <numerusform>%n incident</numerusform>
            <numerusform>%n incidents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n P1 incident(s) awaiting acknowledgement (F5 to go to it)</source>
        <translation>
            <numerusform>⚠ %n incident P1 attend sa prise en compte (F5 pour y aller)</numerusform>
            <numerusform>⚠ %n incidents P1 attendent leur prise en compte (F5 pour y aller)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2 min)</source>
        <translation>%1 (%2 min)</translation>
    </message>
    <message>
        <source>⚠ No available patrol in: %1</source>
        <translation>⚠ Aucune patrouille disponible à : %1</translation>
    </message>
    <message numerus="yes">
        <source>+ %n new incident(s) since</source>
        <translation>
            <numerusform>+ %n nouvel incident depuis</numerusform>
            <numerusform>+ %n nouveaux incidents depuis</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IncidentTableModel</name>
    <message>
        <source>Priority</source>
        <extracomment>The custom roles: the raw value to sort on, and the incident itself. Colour only for what needs action, and never alone: the text carries a mark too. Plain ints for ``data()``: a view calls it seven times per painted cell, and reading ``Qt.ItemDataRole.DisplayRole`` costs more than comparing two ints (``vigie bench ui``). The columns that count time: shown as the clock says, the others as the incident says. The roles ``data()`` answers (the others, asked of every painted cell, get ``None`` at once). What free-text search looks in, besides the id, the priority and the description. Up to this many places for new rows, they are inserted run by run; beyond, appended and the whole reordered once (each insertion costs the proxy a pass over its mapping).</extracomment>
        <translation>Priorité</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origine</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Âge</translation>
    </message>
</context>
<context>
    <name>LightingApplyDialog</name>
    <message>
        <source>Apply the lighting policy</source>
        <translation>Appliquer la politique d&apos;éclairage</translation>
    </message>
    <message>
        <source>Reading every street light to compute what applying the policy will send…</source>
        <translation>Lecture de tous les points lumineux pour calculer ce que l&apos;application de la politique enverra…</translation>
    </message>
    <message>
        <source>Why now (required)</source>
        <translation>Pourquoi maintenant (obligatoire)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>%v of %m group(s) answered</source>
        <translation>%v groupe(s) sur %m ont répondu</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Request approval</source>
        <translation>Demander l&apos;approbation</translation>
    </message>
    <message>
        <source>The city&apos;s rules make this wait for a second operator&apos;s approval: confirming records the request and sends nothing.</source>
        <translation>Les règles de la ville soumettent cet acte à l&apos;approbation d&apos;un second opérateur : confirmer enregistre la demande et n&apos;envoie rien.</translation>
    </message>
    <message numerus="yes">
        <source>Apply to %n group(s)</source>
        <translation>
            <numerusform>Appliquer à %n groupe</numerusform>
            <numerusform>Appliquer à %n groupes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogbookPanel</name>
    <message>
        <source>Everyone</source>
        <translation>Tout le monde</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tous</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 12 hours</source>
        <translation>12 dernières heures</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>24 dernières heures</translation>
    </message>
    <message>
        <source>Write in the logbook and press Enter</source>
        <translation>Écrire dans la main courante puis Entrée</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Vigie — who is at this desk?</source>
        <translation>Vigie — qui est à ce poste ?</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Every act of this session will carry your name.</source>
        <translation>Chaque acte de cette session portera votre nom.</translation>
    </message>
    <message>
        <source>Give your name and your password.</source>
        <translation>Indiquez votre nom et votre mot de passe.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Vigie — control room</source>
        <extracomment>The source tree&apos;s README, which leads to docs/ (absent from an install without the sources).</extracomment>
        <translation>Vigie — poste de commandement</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>Opérateur : %1</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>Liaisons</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Panels</source>
        <translation>Panneaux</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Vigie</source>
        <translation>À &amp;propos de Vigie</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Documentation</translation>
    </message>
    <message>
        <source>About Vigie</source>
        <translation>À propos de Vigie</translation>
    </message>
    <message>
        <source>Vigie %1
The operator console of a city&apos;s unified control room.</source>
        <translation>Vigie %1
La console des opérateurs du centre de supervision urbain d&apos;une ville.</translation>
    </message>
    <message>
        <source>Perspective</source>
        <translation>Perspective</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Broker: connected</source>
        <translation>Broker : connecté</translation>
    </message>
    <message>
        <source>Broker: LOST</source>
        <translation>Broker : PERDU</translation>
    </message>
    <message>
        <source>Broker: connecting…</source>
        <translation>Broker : connexion…</translation>
    </message>
    <message>
        <source>Database: connected</source>
        <translation>Base : connectée</translation>
    </message>
    <message>
        <source>Database: LOST</source>
        <translation>Base : PERDUE</translation>
    </message>
    <message>
        <source>Database: connecting…</source>
        <translation>Base : connexion…</translation>
    </message>
    <message>
        <source>Database lost: nothing can be recorded and what you see may be out of date. Vigie retries by itself and re-reads everything when it is back.</source>
        <translation>Base perdue : rien ne peut être enregistré et l&apos;affichage peut être dépassé. Vigie réessaie seul et relit tout à son retour.</translation>
    </message>
    <message>
        <source>Broker lost: live updates are paused; the queue shows the last state read and your actions are still recorded. Vigie reconnects by itself and re-reads what it missed.</source>
        <translation>Broker perdu : les mises à jour en direct sont suspendues ; la file montre le dernier état lu et vos actions sont toujours enregistrées. Vigie se reconnecte seul et relit ce qu&apos;il a manqué.</translation>
    </message>
    <message>
        <source>Quarantine: %1</source>
        <translation>Quarantaine : %1</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>Layers</source>
        <extracomment>The page is sent at most this often: five frames a second. Equipment types and the map layer that draws them. Statuses in which an incident&apos;s unit is on its way or there: a dashed line joins them.</extracomment>
        <translation>Couches</translation>
    </message>
    <message>
        <source>Follow the selected unit</source>
        <translation>Suivre l&apos;unité sélectionnée</translation>
    </message>
    <message>
        <source>Whole métropole</source>
        <translation>Toute la métropole</translation>
    </message>
    <message>
        <source>Click a unit, an incident or a device to see what it is.</source>
        <translation>Cliquez sur une unité, un incident ou un équipement pour savoir ce que c&apos;est.</translation>
    </message>
    <message>
        <source>Patrols</source>
        <translation>Patrouilles</translation>
    </message>
    <message>
        <source>Road crews</source>
        <translation>Équipes voirie</translation>
    </message>
    <message>
        <source>Snow vehicles</source>
        <translation>Engins de viabilité hivernale</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>Every unit&apos;s trail (15 min)</source>
        <translation>Traces de toutes les unités (15 min)</translation>
    </message>
    <message>
        <source>Lights</source>
        <translation>Éclairage</translation>
    </message>
    <message>
        <source>Signals</source>
        <translation>Feux</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <source>Bollards</source>
        <translation>Bornes</translation>
    </message>
    <message>
        <source>Winter-service network</source>
        <translation>Réseau de viabilité hivernale</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>Légende</translation>
    </message>
    <message>
        <source> (schematic)</source>
        <translation> (schématique)</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2) : %3</translation>
    </message>
    <message>
        <source>incident #%1</source>
        <translation>incident n° %1</translation>
    </message>
    <message>
        <source>dark at night when it should be lit</source>
        <translation>éteint de nuit alors qu’il devrait être allumé</translation>
    </message>
    <message>
        <source>off</source>
        <translation>éteint</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1&#x202f;%</translation>
    </message>
    <message>
        <source>on at %1</source>
        <translation>allumé à %1</translation>
    </message>
</context>
<context>
    <name>ModeBox</name>
    <message>
        <source>Preview the switch…</source>
        <extracomment>The snow level&apos;s badge: grey at watch, then yellow, orange, red (with the name beside it).</extracomment>
        <translation>Prévisualiser le basculement…</translation>
    </message>
    <message>
        <source>Roll back…</source>
        <translation>Revenir en arrière…</translation>
    </message>
    <message>
        <source>%1 is switching to %2…</source>
        <translation>%1 bascule vers %2…</translation>
    </message>
    <message>
        <source>%1 since %2 by %3</source>
        <translation>%1 depuis le %2 par %3</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Motif : %1</translation>
    </message>
    <message>
        <source>Bus priority: on</source>
        <translation>Priorité bus : active</translation>
    </message>
    <message>
        <source>Bus priority: off</source>
        <translation>Priorité bus : coupée</translation>
    </message>
    <message>
        <source>Back to %1</source>
        <translation>Retour à %1</translation>
    </message>
</context>
<context>
    <name>ModeSwitchDialog</name>
    <message>
        <source>Computing what the switch will change…</source>
        <translation>Calcul de ce que le basculement va changer…</translation>
    </message>
    <message>
        <source>Why now (required)</source>
        <translation>Pourquoi maintenant (obligatoire)</translation>
    </message>
    <message>
        <source>e.g. DFCO match at the Stade Gaston-Gérard, kick-off 20:00</source>
        <translation>p. ex. match du DFCO au stade Gaston-Gérard, coup d&apos;envoi à 20 h</translation>
    </message>
    <message>
        <source>e.g. Météo-France orange snow-ice warning</source>
        <translation>p. ex. vigilance orange neige-verglas Météo-France</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Weather or event</source>
        <translation>Météo ou événement</translation>
    </message>
    <message>
        <source>%v of %m command(s) answered</source>
        <translation>%v commande(s) sur %m ont répondu</translation>
    </message>
    <message>
        <source>Switch to %1</source>
        <translation>Basculer en %1</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>Revenir en arrière</translation>
    </message>
</context>
<context>
    <name>ModesPanel</name>
    <message>
        <source>Snow plan</source>
        <translation>Plan neige</translation>
    </message>
    <message>
        <source>Traffic mode</source>
        <translation>Mode de circulation</translation>
    </message>
    <message>
        <source>Bus priority is off (in the last hour: %1 requests, %2 served)</source>
        <translation>Priorité bus désactivée (dans la dernière heure : %1 demandes, %2 servies)</translation>
    </message>
    <message>
        <source>Bus priority requests in the last hour: %1, served: %2</source>
        <translation>Demandes de priorité bus dans la dernière heure : %1, servies : %2</translation>
    </message>
</context>
<context>
    <name>NearbyCameras</name>
    <message>
        <source>Open the nearest on the wall</source>
        <extracomment>&quot;The four cameras nearest&quot;: a 2×2 wall&apos;s worth.</extracomment>
        <translation>Ouvrir les plus proches sur le mur</translation>
    </message>
    <message>
        <source>Open selected</source>
        <translation>Ouvrir la sélection</translation>
    </message>
    <message>
        <source>Cameras within %1 m: %2</source>
        <translation>Caméras à moins de %1 m : %2</translation>
    </message>
    <message>
        <source>(and the nearest beyond)</source>
        <translation>(et les plus proches au-delà)</translation>
    </message>
</context>
<context>
    <name>NightBars</name>
    <message>
        <source>used</source>
        <extracomment>Each label of the night axis wants this many pixels.</extracomment>
        <translation>consommé</translation>
    </message>
    <message>
        <source>at full power for the same hours</source>
        <translation>à pleine puissance pour les mêmes heures</translation>
    </message>
    <message>
        <source>kWh a night</source>
        <translation>kWh par nuit</translation>
    </message>
    <message>
        <source>(%1 of %2 communes recorded)</source>
        <translation>(%1 communes enregistrées sur %2)</translation>
    </message>
    <message>
        <source>Night of %1: nothing recorded</source>
        <translation>Nuit du %1 : rien d’enregistré</translation>
    </message>
    <message>
        <source>Night of %1: %2 kWh used, %3 kWh at full power, %4 saved</source>
        <translation>Nuit du %1 : %2 kWh consommés, %3 kWh à pleine puissance, %4 d’économie</translation>
    </message>
    <message>
        <source>(in progress: counted so far)</source>
        <translation>(en cours : compté jusqu’ici)</translation>
    </message>
</context>
<context>
    <name>PurposeDialog</name>
    <message>
        <source>Protecting people and property</source>
        <extracomment>The listed purposes as operators read them (CSI L.251-2).</extracomment>
        <translation>Protection des personnes et des biens</translation>
    </message>
    <message>
        <source>Regulating traffic</source>
        <translation>Régulation du trafic</translation>
    </message>
    <message>
        <source>Protecting public buildings</source>
        <translation>Protection des bâtiments publics</translation>
    </message>
    <message>
        <source>Preventing natural or technological risks</source>
        <translation>Prévention des risques naturels ou technologiques</translation>
    </message>
    <message>
        <source>Rescue and fire prevention</source>
        <translation>Secours aux personnes et défense contre l&apos;incendie</translation>
    </message>
    <message>
        <source>Safety of a gathering or event</source>
        <translation>Sécurité d&apos;un rassemblement ou d&apos;une manifestation</translation>
    </message>
    <message>
        <source>Why open this camera?</source>
        <translation>Pourquoi ouvrir cette caméra ?</translation>
    </message>
    <message>
        <source>For incident: %1</source>
        <translation>Pour l&apos;incident : %1</translation>
    </message>
    <message>
        <source>For a listed purpose</source>
        <translation>Pour une finalité de la liste</translation>
    </message>
    <message>
        <source>What you are looking for (required)</source>
        <translation>Ce que vous cherchez (obligatoire)</translation>
    </message>
    <message>
        <source>Camera(s)</source>
        <translation>Caméra(s)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Précisions</translation>
    </message>
    <message>
        <source>Every view is recorded with its purpose, and closes itself after %1 minutes unless renewed.</source>
        <translation>Chaque visionnage est enregistré avec sa finalité et se ferme de lui-même après %1 minutes s&apos;il n&apos;est pas prolongé.</translation>
    </message>
</context>
<context>
    <name>ShiftHandoverDialog</name>
    <message>
        <source>Shift handover</source>
        <extracomment>The most lines of remarks shown without scrolling, to a reader.</extracomment>
        <translation>Passation de service</translation>
    </message>
    <message>
        <source>Reading what the shift hands over…</source>
        <translation>Lecture de la passation…</translation>
    </message>
    <message>
        <source>Your remarks for the next shift</source>
        <translation>Vos remarques pour l&apos;équipe suivante</translation>
    </message>
    <message>
        <source>Remarks of the outgoing operator</source>
        <translation>Remarques de l&apos;opérateur sortant</translation>
    </message>
    <message>
        <source>What the summary does not say: a caller to ring back, a crew to check on, a promise made…</source>
        <translation>Ce que le résumé ne dit pas : un appelant à rappeler, une équipe à relancer, une promesse faite…</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>Faire la passation</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accepter</translation>
    </message>
    <message>
        <source>%1 (not shown to your role)</source>
        <translation>%1 (non visible pour votre rôle)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No remarks.</source>
        <translation>Aucune remarque.</translation>
    </message>
    <message>
        <source>%1 characters left</source>
        <translation>%1 caractères restants</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <extracomment>What is shown for a shortcut nobody described.</extracomment>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Touche</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Ce qu&apos;elle fait</translation>
    </message>
    <message>
        <source>Acknowledge the incident shown</source>
        <translation>Prendre en compte l&apos;incident affiché</translation>
    </message>
    <message>
        <source>Dispatch a unit to the incident shown</source>
        <translation>Envoyer une unité sur l&apos;incident affiché</translation>
    </message>
    <message>
        <source>Resolve the incident shown</source>
        <translation>Résoudre l&apos;incident affiché</translation>
    </message>
    <message>
        <source>Show the next unacknowledged incident</source>
        <translation>Afficher l&apos;incident suivant non pris en compte</translation>
    </message>
    <message>
        <source>Search the incident queue</source>
        <translation>Chercher dans la file des incidents</translation>
    </message>
    <message>
        <source>New call (the hotline&apos;s form)</source>
        <translation>Nouvel appel (formulaire de la ligne citoyenne)</translation>
    </message>
    <message>
        <source>Lock the desk</source>
        <translation>Verrouiller le poste</translation>
    </message>
</context>
<context>
    <name>SnowOperationsBox</name>
    <message>
        <source>Snow operations</source>
        <translation>Opérations neige</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>Véhicules</translation>
    </message>
    <message>
        <source>Principal network</source>
        <translation>Réseau principal</translation>
    </message>
    <message>
        <source>Freeze risk</source>
        <translation>Risque de verglas</translation>
    </message>
    <message>
        <source>Salt and brine</source>
        <translation>Sel et saumure</translation>
    </message>
    <message>
        <source>%1 treating (blade down or spreading) of %2 heard from</source>
        <translation>%1 en traitement (lame baissée ou salage) sur %2 entendus</translation>
    </message>
    <message>
        <source>⚠ %1 of %2 segments untreated past their target: %3</source>
        <translation>⚠ %1 tronçon(s) sur %2 non traités au-delà de leur objectif : %3</translation>
    </message>
    <message>
        <source>All %1 segments within their target</source>
        <translation>Les %1 tronçons dans leur objectif</translation>
    </message>
    <message>
        <source>None among %1 stations</source>
        <translation>Aucun sur %1 stations</translation>
    </message>
    <message>
        <source>%1: %2 t of salt (%3), %4 m³ of brine (%5)</source>
        <translation>%1 : %2 t de sel (%3), %4 m³ de saumure (%5)</translation>
    </message>
    <message>
        <source>no rate of use yet</source>
        <translation>pas encore de rythme de consommation</translation>
    </message>
    <message>
        <source>%1 days left</source>
        <translation>%1 jours restants</translation>
    </message>
</context>
<context>
    <name>StatisticsPanel</name>
    <message>
        <source>%1 s</source>
        <extracomment>The period shown first: &quot;how did we do this month&quot; is the question a panel of figures answers. A chart&apos;s height: its title and margins, then so many pixels a row. Below this width, the charts go one under the other. Two dates chosen by hand are read this long after the last change (not at every keystroke).</extracomment>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2</source>
        <translation>%1 h %2</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 j %2 h</translation>
    </message>
    <message>
        <source>no incident yet</source>
        <translation>aucun incident pour l&apos;instant</translation>
    </message>
    <message>
        <source>median %1 · 90 % within %2, over %3 incidents</source>
        <translation>médiane %1 · 90 % en moins de %2, sur %3 incidents</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd&apos;hui</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Cette semaine</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Ce mois-ci</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Mois dernier</translation>
    </message>
    <message>
        <source>Dates…</source>
        <translation>Dates…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <source>Read again</source>
        <translation>Relire</translation>
    </message>
    <message>
        <source>All communes</source>
        <translation>Toutes les communes</translation>
    </message>
    <message>
        <source>SLA kept, by priority</source>
        <translation>Délais tenus, par priorité</translation>
    </message>
    <message>
        <source>Incidents by priority</source>
        <translation>Incidents par priorité</translation>
    </message>
    <message>
        <source>Incidents by category</source>
        <translation>Incidents par catégorie</translation>
    </message>
    <message>
        <source>Incidents by commune</source>
        <translation>Incidents par commune</translation>
    </message>
    <message>
        <source>Hotline calls by category</source>
        <translation>Appels à la ligne citoyenne par catégorie</translation>
    </message>
    <message>
        <source>Click a bar to list those incidents in the queue.</source>
        <translation>Cliquez sur une barre pour lister ces incidents dans la file.</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>Pas encore lu</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Lecture…</translation>
    </message>
    <message>
        <source>read at %1</source>
        <translation>lu à %1</translation>
    </message>
    <message>
        <source>Acknowledged: %1</source>
        <translation>Prise en compte : %1</translation>
    </message>
    <message>
        <source>Resolved: %1</source>
        <translation>Résolution : %1</translation>
    </message>
    <message>
        <source>%1, %2 (%3): %4 incidents, %5 hotline calls</source>
        <translation>%1, %2 (%3) : %4 incidents, %5 appels à la ligne citoyenne</translation>
    </message>
    <message>
        <source>today</source>
        <translation>aujourd&apos;hui</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>hier</translation>
    </message>
    <message>
        <source>this week</source>
        <translation>cette semaine</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>ce mois-ci</translation>
    </message>
    <message>
        <source>last month</source>
        <translation>le mois dernier</translation>
    </message>
    <message>
        <source>from %1 to %2</source>
        <translation>du %1 au %2</translation>
    </message>
    <message>
        <source>no commune</source>
        <translation>sans commune</translation>
    </message>
    <message>
        <source>%1 in time (%2)</source>
        <translation>%1 dans les délais (%2)</translation>
    </message>
    <message>
        <source>none resolved nor late</source>
        <translation>aucun résolu ni en retard</translation>
    </message>
    <message>
        <source>%1: %2 resolved in time, %3 resolved late, %4 still open past their target. Click: every %1 incident in the queue.</source>
        <translation>%1 : %2 résolus dans les délais, %3 résolus en retard, %4 encore ouverts au-delà de leur délai. Clic : tous les incidents %1 dans la file.</translation>
    </message>
    <message>
        <source>%1 late</source>
        <translation>%1 en retard</translation>
    </message>
    <message>
        <source>%1 late: %2 resolved late, %3 still open past their target. Click: these incidents in the queue.</source>
        <translation>%1 en retard : %2 résolus en retard, %3 encore ouverts au-delà de leur délai. Clic : ces incidents dans la file.</translation>
    </message>
    <message>
        <source>P%1 late</source>
        <translation>P%1 en retard</translation>
    </message>
    <message>
        <source>hotline calls: %1</source>
        <translation>appels à la ligne citoyenne : %1</translation>
    </message>
    <message>
        <source>hotline calls</source>
        <translation>appels à la ligne citoyenne</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>In time</source>
        <translation>Dans les délais</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>En retard</translation>
    </message>
    <message>
        <source>SLA kept</source>
        <translation>Délais tenus</translation>
    </message>
    <message>
        <source>Acknowledged
median · 90 %</source>
        <translation>Prise en compte
médiane · 90 %</translation>
    </message>
    <message>
        <source>Resolved
median · 90 %</source>
        <translation>Résolution
médiane · 90 %</translation>
    </message>
    <message>
        <source>Resolved within their target</source>
        <translation>Résolus dans leur délai</translation>
    </message>
    <message>
        <source>In time, out of those in time and late: an incident still open past its target has missed it</source>
        <translation>Dans les délais, parmi ceux dans les délais et en retard : un incident encore ouvert au-delà de son délai l&apos;a manqué</translation>
    </message>
    <message>
        <source>Resolved late, or still open past their target</source>
        <translation>Résolus en retard, ou encore ouverts au-delà de leur délai</translation>
    </message>
</context>
<context>
    <name>TelemetryPanel</name>
    <message>
        <source>Last 15 minutes</source>
        <extracomment>A plot&apos;s least height, and the panel&apos;s width from which two plots stand side by side. A choice longer than this (a station&apos;s full name) is elided rather than widen the dock.</extracomment>
        <translation>15 dernières minutes</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 6 hours</source>
        <translation>6 dernières heures</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>24 dernières heures</translation>
    </message>
    <message>
        <source>All communes</source>
        <translation>Toutes les communes</translation>
    </message>
    <message>
        <source>Mean of measured points</source>
        <translation>Moyenne des points de comptage</translation>
    </message>
    <message>
        <source>All stations</source>
        <translation>Toutes les stations</translation>
    </message>
    <message>
        <source>Point at a plot to read its values.</source>
        <translation>Survolez un graphique pour en lire les valeurs.</translation>
    </message>
    <message>
        <source>Messages from the field</source>
        <translation>Messages du terrain</translation>
    </message>
    <message>
        <source>received, msg/s</source>
        <translation>reçus, msg/s</translation>
    </message>
    <message>
        <source>received</source>
        <translation>reçus</translation>
    </message>
    <message>
        <source>quarantined (right axis)</source>
        <translation>en quarantaine (axe de droite)</translation>
    </message>
    <message>
        <source>quarantined, msg/s</source>
        <translation>en quarantaine, msg/s</translation>
    </message>
    <message>
        <source>Street lights</source>
        <translation>Éclairage public</translation>
    </message>
    <message>
        <source>lights</source>
        <translation>points lumineux</translation>
    </message>
    <message>
        <source>on</source>
        <translation>allumés</translation>
    </message>
    <message>
        <source>off</source>
        <translation>éteints</translation>
    </message>
    <message>
        <source>Street lights needing attention</source>
        <translation>Éclairage public à surveiller</translation>
    </message>
    <message>
        <source>in fault</source>
        <translation>en panne</translation>
    </message>
    <message>
        <source>not heard</source>
        <translation>sans nouvelles</translation>
    </message>
    <message>
        <source>Energy drawn by street lights</source>
        <translation>Puissance appelée par l&apos;éclairage public</translation>
    </message>
    <message>
        <source>kW</source>
        <translation>kW</translation>
    </message>
    <message>
        <source>power</source>
        <translation>puissance</translation>
    </message>
    <message>
        <source>Traffic flow intensity</source>
        <translation>Débit de circulation</translation>
    </message>
    <message>
        <source>vehicles</source>
        <translation>véhicules</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <source>Temperatures</source>
        <translation>Températures</translation>
    </message>
    <message>
        <source>°C</source>
        <translation>°C</translation>
    </message>
    <message>
        <source>road surface</source>
        <translation>température de chaussée</translation>
    </message>
    <message>
        <source>coldest road</source>
        <translation>chaussée la plus froide</translation>
    </message>
    <message>
        <source>air</source>
        <translation>air</translation>
    </message>
    <message>
        <source>0 °C</source>
        <translation>0 °C</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Measured point</source>
        <translation>Point de comptage</translation>
    </message>
    <message>
        <source>Weather station</source>
        <translation>Station météo</translation>
    </message>
    <message>
        <source>road surface (mean)</source>
        <translation>température de chaussée (moyenne)</translation>
    </message>
    <message>
        <source>air (mean)</source>
        <translation>air (moyenne)</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <source>Preset</source>
        <extracomment>A lost stream is asked again this often while its view is open (a camera back from a fault). The time left under which the tile asks to be renewed. Bumped whenever the tile is taken or cleared: a view that arrives for an older one is not this tile&apos;s any more (the desk closes it on the record).</extracomment>
        <translation>Position</translation>
    </message>
    <message>
        <source>Renew</source>
        <translation>Prolonger</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Capture</translation>
    </message>
    <message>
        <source>Enlarge</source>
        <translation>Agrandir</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Keep this view open for another period</source>
        <translation>Garder ce visionnage ouvert pour une nouvelle période</translation>
    </message>
    <message>
        <source>Save the picture as the camera serves it, masks included (kept 30 days)</source>
        <translation>Enregistrer l&apos;image telle que la caméra la sert, masques compris (conservée 30 jours)</translation>
    </message>
    <message>
        <source>Tile %1</source>
        <translation>Tuile %1</translation>
    </message>
    <message>
        <source>Drop a camera here</source>
        <translation>Déposez une caméra ici</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>reste %1</translation>
    </message>
    <message>
        <source>Hidden: the camera does not confirm the privacy masks of this preset</source>
        <translation>Masquée : la caméra ne confirme pas les masques de vie privée de cette position</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>● live</source>
        <translation>● direct</translation>
    </message>
    <message>
        <source>late %1 s</source>
        <translation>retard %1 s</translation>
    </message>
    <message>
        <source>LOST</source>
        <translation>PERDU</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>connexion</translation>
    </message>
    <message>
        <source>Lost: the camera is in fault</source>
        <translation>Perdu : la caméra est en défaut</translation>
    </message>
    <message>
        <source>Lost: no picture received</source>
        <translation>Perdu : aucune image reçue</translation>
    </message>
    <message>
        <source>Lost: last picture %1 s ago</source>
        <translation>Perdu : dernière image il y a %1 s</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <source>Tiles</source>
        <extracomment>How often the tiles judge their streams and count down their views.</extracomment>
        <translation>Tuiles</translation>
    </message>
    <message>
        <source>Show %1 tile(s)</source>
        <translation>Afficher %1 tuile(s)</translation>
    </message>
</context>
<context>
    <name>WaitingHandoverChooser</name>
    <message>
        <source>Handovers waiting</source>
        <translation>Passations en attente</translation>
    </message>
    <message>
        <source>Several handovers wait to be accepted. Which one to read?</source>
        <translation>Plusieurs passations attendent d&apos;être acceptées. Laquelle lire ?</translation>
    </message>
</context>
<context>
    <name>acts</name>
    <message>
        <source>see the incidents, equipment and modes</source>
        <translation>voir les incidents, les équipements et les modes</translation>
    </message>
    <message>
        <source>act on incidents</source>
        <translation>agir sur les incidents</translation>
    </message>
    <message>
        <source>see police patrols&apos; positions</source>
        <translation>voir les positions des patrouilles de police</translation>
    </message>
    <message>
        <source>see road crews&apos; and snow vehicles&apos; positions</source>
        <translation>voir les positions des équipes de voirie et des engins de viabilité hivernale</translation>
    </message>
    <message>
        <source>view live cameras</source>
        <translation>voir les caméras en direct</translation>
    </message>
    <message>
        <source>read who watched which camera</source>
        <translation>lire qui a regardé quelle caméra</translation>
    </message>
    <message>
        <source>command a device</source>
        <translation>commander un équipement</translation>
    </message>
    <message>
        <source>command a group of devices</source>
        <translation>commander un groupe d&apos;équipements</translation>
    </message>
    <message>
        <source>switch the snow plan</source>
        <translation>changer le niveau du plan neige</translation>
    </message>
    <message>
        <source>switch the traffic mode</source>
        <translation>changer le mode de circulation</translation>
    </message>
    <message>
        <source>write in the logbook</source>
        <translation>écrire dans la main courante</translation>
    </message>
    <message>
        <source>approve another operator&apos;s high-impact act</source>
        <translation>approuver l&apos;acte à fort impact d&apos;un autre opérateur</translation>
    </message>
    <message>
        <source>read the audit journal</source>
        <translation>lire le journal d&apos;audit</translation>
    </message>
    <message>
        <source>manage operators and permissions</source>
        <translation>gérer les opérateurs et les permissions</translation>
    </message>
    <message>
        <source>hand a shift over</source>
        <translation>faire une passation de service</translation>
    </message>
    <message>
        <source>accept another operator&apos;s handover</source>
        <translation>accepter la passation d&apos;un autre opérateur</translation>
    </message>
    <message>
        <source>produce the daily report</source>
        <translation>établir le rapport journalier</translation>
    </message>
    <message>
        <source>see the statistics</source>
        <translation>voir les statistiques</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>utilisation : </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>arguments positionnels</translation>
    </message>
    <message>
        <source>options</source>
        <translation>options</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>afficher cette aide et quitter</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>afficher la version et quitter</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>arguments non reconnus : %s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>arguments obligatoires manquants : %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>choix invalide : %(value)r (possibles : %(choices)s)</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>une valeur est attendue</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>argument %(argument_name)s : %(message)s</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>valeur invalide (%(type)s attendu) : %(value)r</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>option ambiguë : %(option)s peut désigner %(matches)s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>incompatible avec l&apos;argument %s</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>verify the audit journal</source>
        <translation>vérifier le journal d&apos;audit</translation>
    </message>
    <message>
        <source>The audit journal is hash-chained: verification names the first changed, deleted, inserted or reordered entry.</source>
        <translation>Le journal d&apos;audit est chaîné par empreintes : la vérification désigne la première entrée modifiée, supprimée, insérée ou déplacée.</translation>
    </message>
    <message>
        <source>check every entry (exit 1 if broken)</source>
        <translation>vérifier chaque entrée (code 1 si le journal est rompu)</translation>
    </message>
    <message>
        <source>a head written down earlier: also detects a cut or rewritten tail</source>
        <translation>une tête notée auparavant : détecte aussi une fin coupée ou réécrite</translation>
    </message>
    <message>
        <source>print SEQ:HASH of the newest entry</source>
        <translation>afficher SEQ:EMPREINTE de la dernière entrée</translation>
    </message>
    <message>
        <source>who watched which camera, when and why (supervisors, auditors)</source>
        <translation>qui a regardé quelle caméra, quand et pourquoi (superviseurs, auditeurs)</translation>
    </message>
    <message>
        <source>Every camera view, oldest first: its camera, viewer, purpose and incident, when it opened and when and why it closed (closed, timed_out, console_gone).</source>
        <translation>Chaque visionnage de caméra, du plus ancien au plus récent : sa caméra, qui l’a regardée, pour quel motif et quel incident, quand il a commencé, quand et pourquoi il a pris fin (closed : fermé, timed_out : délai écoulé, console_gone : console disparue).</translation>
    </message>
    <message>
        <source>only this camera&apos;s views</source>
        <translation>seulement les visionnages de cette caméra</translation>
    </message>
    <message>
        <source>only this operator&apos;s views</source>
        <translation>seulement les visionnages de cet opérateur</translation>
    </message>
    <message>
        <source>only views open at or after TIME: 2026-12-04T18:00 (the room&apos;s time unless a zone is given), a date, or a span back from now such as 90m, 12h or 7d</source>
        <translation>seulement les visionnages ouverts à partir de TIME : 2026-12-04T18:00 (l’heure de la salle sauf fuseau indiqué), une date, ou une durée avant maintenant comme 90m, 12h ou 7d</translation>
    </message>
    <message>
        <source>which camera snapshots were taken, by whom and why (supervisors, auditors)</source>
        <translation>quelles captures de caméra ont été prises, par qui et pourquoi (superviseurs, auditeurs)</translation>
    </message>
    <message>
        <source>Every camera snapshot, oldest first: its camera, who took it, when, the purpose of the view it was taken in, its file and SHA-256, and when retention purged it.</source>
        <translation>Chaque capture de caméra, la plus ancienne d&apos;abord : sa caméra, qui l&apos;a prise, quand, la finalité du visionnage où elle a été prise, son fichier et son SHA-256, et quand la conservation l&apos;a purgée.</translation>
    </message>
    <message>
        <source>only this camera&apos;s snapshots</source>
        <translation>seulement les captures de cette caméra</translation>
    </message>
    <message>
        <source>only snapshots taken at or after TIME: 2026-12-04T18:00 (the room&apos;s time unless a zone is given), a date, or a span back from now such as 90m, 12h or 7d</source>
        <translation>seulement les captures prises à partir de TIME : 2026-12-04T18:00 (heure de la salle sauf fuseau indiqué), une date, ou une durée avant maintenant comme 90m, 12h ou 7d</translation>
    </message>
    <message>
        <source>audit journal intact: {count} entries, head {head}</source>
        <translation>journal d&apos;audit intact : {count} entrées, tête {head}</translation>
    </message>
    <message>
        <source>the audit journal is empty</source>
        <translation>le journal d&apos;audit est vide</translation>
    </message>
    <message>
        <source>open</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>opened</source>
        <translation>ouvert</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>caméra</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>regardé par</translation>
    </message>
    <message>
        <source>purpose</source>
        <translation>motif</translation>
    </message>
    <message>
        <source>incident</source>
        <translation>incident</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>fermé</translation>
    </message>
    <message>
        <source>why</source>
        <translation>pourquoi</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>conservée</translation>
    </message>
    <message>
        <source>taken</source>
        <translation>prise</translation>
    </message>
    <message>
        <source>taken by</source>
        <translation>prise par</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>purged</source>
        <translation>purgée</translation>
    </message>
    <message>
        <source>measure Vigie against a baseline</source>
        <translation>mesurer Vigie par rapport à une référence</translation>
    </message>
    <message>
        <source>Benchmarks run on scratch databases and report ratios against a baseline measured in the same run.</source>
        <translation>Les mesures tournent sur des bases jetables et donnent des rapports à une référence mesurée dans la même exécution.</translation>
    </message>
    <message>
        <source>an audited append against a plain insert of the same row</source>
        <translation>un ajout audité comparé à une simple insertion de la même ligne</translation>
    </message>
    <message>
        <source>writes of each kind (default 2000)</source>
        <translation>écritures de chaque sorte (2000 par défaut)</translation>
    </message>
    <message>
        <source>the recorder against a bare subscriber: cold start and steady mix</source>
        <translation>l&apos;enregistreur face à un simple abonné : démarrage à froid et flux continu</translation>
    </message>
    <message>
        <source>steady rates in messages per second</source>
        <translation>débits continus en messages par seconde</translation>
    </message>
    <message>
        <source>how long each steady rate lasts (default 5)</source>
        <translation>durée de chaque débit continu (5 par défaut)</translation>
    </message>
    <message>
        <source>cold starts, each after its own bare subscriber; the median counts (default 3)</source>
        <translation>démarrages à froid, chacun après son propre simple abonné ; la médiane compte (3 par défaut)</translation>
    </message>
    <message>
        <source>issue 14&apos;s hostile input against a private broker and a real recorder</source>
        <translation>les entrées hostiles de l&apos;issue 14 contre un broker privé et un vrai enregistreur</translation>
    </message>
    <message>
        <source>Publishes classes of bad input (overflowing and out-of-bound times, NUL and markup, numeric ids, NGSI normalized forms, doubtful values, a poison message across a SIGKILL) to a recorder on a scratch database, and checks that each message was quarantined or recorded as it must be, that none was dropped and that the recorder is alive at the end. Exit status 0 when all held, 1 otherwise.</source>
        <translation>Publie des classes d&apos;entrées invalides (dates qui débordent ou hors bornes, NUL et balisage, identifiants numériques, formes normalisées NGSI, valeurs douteuses, un message empoisonné à travers un SIGKILL) vers un enregistreur sur une base jetable, et vérifie que chaque message a été mis en quarantaine ou enregistré comme il le doit, qu&apos;aucun n&apos;a été perdu et que l&apos;enregistreur est vivant à la fin. Code de sortie 0 si tout a tenu, 1 sinon.</translation>
    </message>
    <message>
        <source>stop after this many seconds whatever is left (default 120)</source>
        <translation>s&apos;arrêter après ce nombre de secondes, quoi qu&apos;il reste (120 par défaut)</translation>
    </message>
    <message>
        <source>the incident queue with 10,000 incidents, report-to-row time, and what a console weighs on a mild evening</source>
        <translation>la file de 10 000 incidents, le délai d&apos;un signalement jusqu&apos;à sa ligne, et le poids d&apos;une console un soir ordinaire</translation>
    </message>
    <message>
        <source>open incidents in the queue (default 10000)</source>
        <translation>incidents ouverts dans la file (10000 par défaut)</translation>
    </message>
    <message>
        <source>light states a second while the GUI thread is watched (default 5000)</source>
        <translation>états de points lumineux par seconde pendant qu&apos;on observe le fil de l&apos;interface (5000 par défaut)</translation>
    </message>
    <message>
        <source>how long the console&apos;s memory and processor share are measured, once the field has settled (default 60)</source>
        <translation>durée de la mesure de la mémoire et de la part de processeur de la console, une fois le terrain stabilisé (60 par défaut)</translation>
    </message>
    <message>
        <source>the simulated field the console is weighed under (default dijon, mix mild)</source>
        <translation>le terrain simulé sous lequel la console est pesée (dijon par défaut, mélange mild)</translation>
    </message>
    <message>
        <source>the map page with Dijon&apos;s field against the same page without markers</source>
        <translation>la page de carte avec le terrain de Dijon face à la même page sans marqueurs</translation>
    </message>
    <message>
        <source>Dijon&apos;s 34,000 retained light states, or ten times as many (default dijon)</source>
        <translation>les 34 000 états de points lumineux conservés de Dijon, ou dix fois plus (par défaut dijon)</translation>
    </message>
    <message>
        <source>retained light states at cold start, whatever the scale says</source>
        <translation>états de points lumineux conservés au démarrage à froid, quoi que dise l&apos;échelle</translation>
    </message>
    <message>
        <source>rate of the marked mix taken by one recorder, then on PostgreSQL by two sharing it (--share); 0 skips it (default 3000)</source>
        <translation>débit du mélange marqué reçu par un enregistreur, puis sur PostgreSQL par deux qui se le partagent (--share) ; 0 l&apos;omet (par défaut 3000)</translation>
    </message>
    <message>
        <source>a console opened on a field of Dijon&apos;s size or ten times it: the GUI thread</source>
        <translation>une console ouverte sur un terrain de la taille de Dijon ou dix fois plus grand : le fil de l&apos;interface</translation>
    </message>
    <message>
        <source>the field put in the scratch database: 34,000 lights (dijon) or 340,000 (x10)</source>
        <translation>le terrain mis dans la base de travail : 34 000 points lumineux (dijon) ou 340 000 (x10)</translation>
    </message>
    <message>
        <source>light states a second once the console is open (default 5000)</source>
        <translation>états de points lumineux par seconde une fois la console ouverte (5000 par défaut)</translation>
    </message>
    <message>
        <source>how long the states arrive (default 5)</source>
        <translation>pendant combien de secondes les états arrivent (5 par défaut)</translation>
    </message>
    <message>
        <source>street lights on the map (default: the scale&apos;s, 34000 at dijon)</source>
        <translation>points lumineux sur la carte (par défaut : ceux de l&apos;échelle, 34000 à dijon)</translation>
    </message>
    <message>
        <source>x10: 340,000 lights, the healthy ones sent to the page as the console serves them (clusters of the view)</source>
        <translation>x10 : 340 000 points lumineux, ceux en bon état envoyés à la page comme la console les sert (regroupements de la vue)</translation>
    </message>
    <message>
        <source>vehicles on the map (default 205)</source>
        <translation>véhicules sur la carte (205 par défaut)</translation>
    </message>
    <message>
        <source>frames of updates sent to each page (default 25)</source>
        <translation>trames de mises à jour envoyées à chaque page (25 par défaut)</translation>
    </message>
    <message>
        <source>an act&apos;s commit to its command on the bus, under the Dijon simulator&apos;s load</source>
        <translation>de la validation d&apos;un acte à sa commande sur le bus, sous la charge du simulateur de Dijon</translation>
    </message>
    <message>
        <source>Runs vigie simulate at Dijon&apos;s scale and the recorder on a scratch database and a private broker, records commands as a console does, and times each from its commit to its arrival on the bus, against commands published straight to the broker alongside. Exit status 0 when every command arrived and the 99th percentile is within 200 ms, 1 otherwise.</source>
        <translation>Lance vigie simulate à l&apos;échelle de Dijon et l&apos;enregistreur sur une base jetable et un broker privé, enregistre des commandes comme le fait une console, et chronomètre chacune de sa validation à son arrivée sur le bus, face à des commandes publiées directement sur le broker en parallèle. Code de sortie 0 si toutes les commandes sont arrivées et que le 99e centile reste sous 200 ms, 1 sinon.</translation>
    </message>
    <message>
        <source>commands of each kind (default 300)</source>
        <translation>commandes de chaque sorte (300 par défaut)</translation>
    </message>
    <message>
        <source>the lighting policy at Dijon&apos;s scale: preview, push to every cabinet, Energy</source>
        <translation>la politique d&apos;éclairage à l&apos;échelle de Dijon : prévisualisation, envoi à chaque armoire, énergie</translation>
    </message>
    <message>
        <source>Runs vigie simulate at Dijon&apos;s scale and the recorder on a scratch database and a private broker; times the policy&apos;s preview against reading the same lights bare, its profiles pushed to every cabinet until each answered against a dim to the same groups, and the Energy panel&apos;s 30 nights from a month of meter readings (written by the backfill) against one night. Exit status 0 when the preview and the 30 nights each take at most 1,000 ms and every light took its profile, 1 otherwise.</source>
        <translation>Lance vigie simulate à l&apos;échelle de Dijon et l&apos;enregistreur sur une base jetable et un broker privé ; chronomètre la prévisualisation de la politique contre la simple lecture des mêmes luminaires, l&apos;envoi de ses profils à chaque armoire jusqu&apos;à leurs réponses contre une gradation des mêmes groupes, et les 30 nuits du panneau Énergie sur un mois de relevés (écrits par le rattrapage d&apos;historique) contre une seule nuit. Code de sortie 0 quand la prévisualisation et les 30 nuits prennent chacune au plus 1 000 ms et que chaque luminaire a pris son profil, 1 sinon.</translation>
    </message>
    <message>
        <source>days of meter readings for the Energy view (default 30)</source>
        <translation>jours de relevés de compteurs pour la vue Énergie (30 par défaut)</translation>
    </message>
    <message>
        <source>the video wall on cameras of its own, against one tile alone</source>
        <translation>le mur vidéo sur ses propres caméras, comparé à une tuile seule</translation>
    </message>
    <message>
        <source>Serves its own cameras in this process and plays them on the video wall (offscreen, 1920x1080): first one tile alone, then the whole wall, each for the same time after a warm-up. Reports each tile&apos;s frames a second, the share of the frames received that were painted, how long the GUI thread was kept busy and how much resident memory grew. Exit status 0 when the wall met its targets (at least 20 frames a second per tile, 90 % painted, no stall over 100 ms, memory grown by 50 MB at most), 1 otherwise.</source>
        <translation>Sert ses propres caméras dans ce processus et les lit sur le mur vidéo (hors écran, 1920x1080) : d&apos;abord une tuile seule, puis le mur entier, chacun pendant la même durée après une mise en route. Donne les images par seconde de chaque tuile, la part des images reçues qui ont été peintes, combien de temps le fil de l&apos;interface a été occupé et de combien la mémoire résidente a grandi. Code de sortie 0 quand le mur atteint ses objectifs (au moins 20 images par seconde par tuile, 90 % peintes, aucun blocage de plus de 100 ms, mémoire accrue de 50 Mo au plus), 1 sinon.</translation>
    </message>
    <message>
        <source>tiles on the wall, each on its own camera: 1, 4 or 9 (default 9)</source>
        <translation>tuiles du mur, chacune sur sa caméra : 1, 4 ou 9 (9 par défaut)</translation>
    </message>
    <message>
        <source>how long each phase is measured, at least 5, after its warm-up (default 20)</source>
        <translation>durée de mesure de chaque phase, au moins 5, après sa mise en route (20 par défaut)</translation>
    </message>
    <message>
        <source>one camera of the wall stops answering when the measure begins: its tile is reported apart, the targets are the others&apos;</source>
        <translation>une caméra du mur cesse de répondre quand la mesure commence : sa tuile est donnée à part, les objectifs sont ceux des autres</translation>
    </message>
    <message>
        <source>the Open311 service under concurrent readers and posts, against a static route</source>
        <translation>le service Open311 sous des lecteurs et des envois simultanés, face à une route statique</translation>
    </message>
    <message>
        <source>Runs vigie opendata serve on a free port of this machine against a scratch database (a temporary SQLite file; with --db naming a PostgreSQL server, a temporary schema there, dropped afterwards), with a rate-exempt key. First every reader asks for the static /health route (the baseline); then the readers loop over requests.json?page_size=50, requests/{id}.json and services.json while requests are posted at a steady pace. Reports the 50th and 99th percentiles, their ratios to the static route&apos;s, and checks on the record that every accepted post is exactly one incident. Exit status 0 when the record holds and the goals are met (reads p99 within 250 ms, posts p99 within 500 ms, no error), 1 otherwise.</source>
        <translation>Lance vigie opendata serve sur un port libre de cette machine, sur une base jetable (un fichier SQLite temporaire ; si --db désigne un serveur PostgreSQL, un schéma temporaire sur ce serveur, supprimé ensuite), avec une clé exemptée de limite de débit. D&apos;abord chaque lecteur demande la route statique /health (la référence) ; puis les lecteurs parcourent en boucle requests.json?page_size=50, requests/{id}.json et services.json pendant que des demandes sont envoyées à un rythme régulier. Donne les 50e et 99e centiles, leurs rapports à ceux de la route statique, et vérifie dans la base que chaque envoi accepté est exactement un incident. Code de sortie 0 si la base est juste et les objectifs atteints (p99 des lectures sous 250 ms, des envois sous 500 ms, aucune erreur), 1 sinon.</translation>
    </message>
    <message>
        <source>how long the load is measured (default 60; the baseline a quarter of it)</source>
        <translation>durée de la mesure sous charge (60 par défaut ; la référence en dure le quart)</translation>
    </message>
    <message>
        <source>concurrent readers, each on its own connection (default 200)</source>
        <translation>lecteurs simultanés, chacun sur sa propre connexion (200 par défaut)</translation>
    </message>
    <message>
        <source>requests posted a second, at a steady pace (default 50)</source>
        <translation>demandes envoyées par seconde, à un rythme régulier (50 par défaut)</translation>
    </message>
    <message>
        <source>processes the readers are shared among (default 1)</source>
        <translation>processus entre lesquels les lecteurs sont répartis (1 par défaut)</translation>
    </message>
    <message>
        <source>{backend}: audited append {append:.3f} ms, plain insert {insert:.3f} ms, ratio {ratio:.2f} over {n} writes each</source>
        <translation>{backend} : ajout audité {append:.3f} ms, insertion simple {insert:.3f} ms, rapport {ratio:.2f} sur {n} écritures de chaque sorte</translation>
    </message>
    <message>
        <source>vigie bench ingest needs the mosquitto binary</source>
        <translation>vigie bench ingest a besoin du programme mosquitto</translation>
    </message>
    <message>
        <source>{backend}: cold start of {n} retained states, median ratio {ratio:.2f}</source>
        <translation>{backend} : démarrage à froid sur {n} états conservés, rapport médian {ratio:.2f}</translation>
    </message>
    <message>
        <source>  round {round}: bare subscriber {bare:.2f} s ({got}), recorder {rec:.2f} s ({kept}), ratio {ratio:.2f}</source>
        <translation>  tour {round} : simple abonné {bare:.2f} s ({got}), enregistreur {rec:.2f} s ({kept}), rapport {ratio:.2f}</translation>
    </message>
    <message>
        <source>  {rate}/s offered: sent {sent}, bare subscriber {bare}, recorded {rec} ({sustained:.0f}/s sustained)</source>
        <translation>  {rate}/s proposés : envoyés {sent}, simple abonné {bare}, enregistrés {rec} ({sustained:.0f}/s soutenus)</translation>
    </message>
    <message>
        <source>also time each round with a recorder whose imports were done before the clock started: what loading costs a cold start</source>
        <translation>chronométrer aussi, à chaque tour, un enregistreur dont les imports étaient faits avant le départ du chrono : ce que le chargement coûte au démarrage à froid</translation>
    </message>
    <message>
        <source>  its imports done before the clock started: median ratio {ratio:.2f}</source>
        <translation>  imports faits avant le départ du chrono : rapport médian {ratio:.2f}</translation>
    </message>
    <message>
        <source>  {n} recorder(s), group {group}: not run: {problem}</source>
        <translation>  {n} enregistreur(s), groupe {group} : non lancé : {problem}</translation>
    </message>
    <message>
        <source>  {n} recorder(s), group {group}, {rate}/s offered: sent {sent}, lost {lost}, doubled {doubled}, {sustained:.0f}/s in all</source>
        <translation>  {n} enregistreur(s), groupe {group}, {rate}/s offerts : envoyés {sent}, perdus {lost}, en double {doubled}, {sustained:.0f}/s en tout</translation>
    </message>
    <message>
        <source>    {id}: took {part} ({throughput:.0f}/s)</source>
        <translation>    {id} : en a pris {part} ({throughput:.0f}/s)</translation>
    </message>
    <message>
        <source>vigie bench hostile needs the mosquitto binary</source>
        <translation>vigie bench hostile a besoin de l&apos;exécutable mosquitto</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>hostile run on {backend} in {seconds:.0f} s: {verdict}</source>
        <translation>passe hostile sur {backend} en {seconds:.0f} s : {verdict}</translation>
    </message>
    <message>
        <source>everything held</source>
        <translation>tout a tenu</translation>
    </message>
    <message>
        <source>NOT everything held</source>
        <translation>tout n&apos;a PAS tenu</translation>
    </message>
    <message>
        <source>class</source>
        <translation>classe</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>envoyés</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>enregistrés</translation>
    </message>
    <message>
        <source>quarantined</source>
        <translation>en quarantaine</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>manquants</translation>
    </message>
    <message>
        <source>received</source>
        <translation>reçus</translation>
    </message>
    <message>
        <source>alive at end</source>
        <translation>vivant à la fin</translation>
    </message>
    <message>
        <source>held</source>
        <translation>tenu</translation>
    </message>
    <message>
        <source>not run: the deadline came first</source>
        <translation>non exécutée : l&apos;échéance est arrivée avant</translation>
    </message>
    <message>
        <source>the recorder did not start</source>
        <translation>l&apos;enregistreur n&apos;a pas démarré</translation>
    </message>
    <message>
        <source>the recorder did not come back after SIGKILL</source>
        <translation>l&apos;enregistreur n&apos;est pas revenu après SIGKILL</translation>
    </message>
    <message>
        <source>the recorder counted {received} of {sent} messages</source>
        <translation>l&apos;enregistreur a compté {received} messages sur {sent}</translation>
    </message>
    <message>
        <source>the recorder died (exit status {code}): {said}</source>
        <translation>l&apos;enregistreur est mort (code de sortie {code}) : {said}</translation>
    </message>
    <message>
        <source>the recorder is running but recorded no last report</source>
        <translation>l&apos;enregistreur tourne mais n&apos;a pas enregistré le dernier signalement</translation>
    </message>
    <message>
        <source>recorded without its time flag</source>
        <translation>enregistré sans son indicateur d&apos;heure</translation>
    </message>
    <message>
        <source>recorded, but the first name was not cleaned</source>
        <translation>enregistré, mais le prénom n&apos;a pas été nettoyé</translation>
    </message>
    <message>
        <source>recorded, but the description was changed</source>
        <translation>enregistré, mais la description a été modifiée</translation>
    </message>
    <message>
        <source>recorded and quarantined</source>
        <translation>enregistré et mis en quarantaine</translation>
    </message>
    <message>
        <source>neither recorded nor quarantined</source>
        <translation>ni enregistré ni mis en quarantaine</translation>
    </message>
    <message>
        <source>expected {expected}, was {outcome}</source>
        <translation>attendu : {expected}, obtenu : {outcome}</translation>
    </message>
    <message>
        <source>{what}: {loaded:.1f} ms with {n} incidents, {empty:.3f} ms empty (ratio {ratio:.0f})</source>
        <translation>{what} : {loaded:.1f} ms avec {n} incidents, {empty:.3f} ms à vide (rapport {ratio:.0f})</translation>
    </message>
    <message>
        <source>report published → row in a running console: {ms:.0f} ms (broker round trip {rt:.1f} ms)</source>
        <translation>signalement publié → ligne dans une console en marche : {ms:.0f} ms (aller-retour broker {rt:.1f} ms)</translation>
    </message>
    <message>
        <source>GUI thread while {n} light states arrived ({rate}/s): longest stall {busy:.0f} ms, 99th percentile {p99:.0f} ms; idle: {idle:.0f} ms, {idle99:.0f} ms</source>
        <translation>fil de l&apos;interface pendant l&apos;arrivée de {n} états de points lumineux ({rate}/s) : plus long blocage {busy:.0f} ms, 99e centile {p99:.0f} ms ; au repos : {idle:.0f} ms, {idle99:.0f} ms</translation>
    </message>
    <message>
        <source>the console over {s:.0f} s of the simulated field (mix {mix}, {devices} devices): {rss:.0f} MB resident at most ({end:.0f} MB at the end), {cpu:.1f} % of one core</source>
        <translation>la console pendant {s:.0f} s du terrain simulé (mélange {mix}, {devices} équipements) : {rss:.0f} Mo résidents au plus ({end:.0f} Mo à la fin), {cpu:.1f} % d&apos;un cœur</translation>
    </message>
    <message>
        <source>its map&apos;s web engine, apart: the renderer {rss:.0f} MB and {cpu:.1f} % of one core; its {n} processes {all:.0f} MB resident together</source>
        <translation>le moteur web de sa carte, à part : le processus de rendu {rss:.0f} Mo et {cpu:.1f} % d&apos;un cœur ; ses {n} processus {all:.0f} Mo résidents ensemble</translation>
    </message>
    <message>
        <source>map with {lights} lights and {units} units: the whole field in one batch took the page {snapshot:.0f} ms</source>
        <translation>carte avec {lights} points lumineux et {units} unités : tout le terrain en un lot a pris {snapshot:.0f} ms à la page</translation>
    </message>
    <message>
        <source>  {page}: {updates} updates in {calls} bridge calls; a frame {median:.1f} ms (95th percentile {p95:.1f} ms); a full redraw {redraw:.1f} ms</source>
        <translation>  {page} : {updates} mises à jour en {calls} appels du pont ; une trame {median:.1f} ms (95e centile {p95:.1f} ms) ; un redessin complet {redraw:.1f} ms</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>chargée</translation>
    </message>
    <message>
        <source>without markers</source>
        <translation>sans marqueurs</translation>
    </message>
    <message>
        <source>  ratios to the page without markers: frame {frame:.2f}, redraw {redraw:.2f}</source>
        <translation>  rapports à la page sans marqueurs : trame {frame:.2f}, redessin {redraw:.2f}</translation>
    </message>
    <message>
        <source>console on {devices} devices ({scale}): open in {open:.1f} s; GUI thread while it opened: longest stall {olong:.0f} ms, 99th percentile {op99:.0f} ms</source>
        <translation>console sur {devices} équipements ({scale}) : ouverte en {open:.1f} s ; fil de l&apos;interface pendant l&apos;ouverture : plus long blocage {olong:.0f} ms, 99e centile {op99:.0f} ms</translation>
    </message>
    <message>
        <source>while {n} light states arrived: longest stall {long:.0f} ms, 99th percentile {p99:.0f} ms</source>
        <translation>pendant l&apos;arrivée de {n} états de points lumineux : plus long blocage {long:.0f} ms, 99e centile {p99:.0f} ms</translation>
    </message>
    <message>
        <source>memory: console {rss:.0f} MB, its web engine {web:.0f} MB; table rows {rows} (paged: {paged}); devices sent to the map one by one: {sent} (served: {served})</source>
        <translation>mémoire : console {rss:.0f} Mo, son moteur web {web:.0f} Mo ; lignes de la table {rows} (paginée : {paged}) ; équipements envoyés un à un à la carte : {sent} (servie : {served})</translation>
    </message>
    <message>
        <source>vigie bench outbox needs the mosquitto binary</source>
        <translation>vigie bench outbox a besoin du programme mosquitto</translation>
    </message>
    <message>
        <source>{backend}: {heard} of {n} commands on the bus; commit to bus p50 {p50:.1f} ms, p99 {p99:.1f} ms (target {target:.0f} ms); published straight p99 {direct:.1f} ms; ratio {ratio:.1f}; field of {field} devices</source>
        <translation>{backend} : {heard} commandes sur {n} arrivées sur le bus ; de la validation au bus p50 {p50:.1f} ms, p99 {p99:.1f} ms (objectif {target:.0f} ms) ; publiées directement p99 {direct:.1f} ms ; rapport {ratio:.1f} ; terrain de {field} équipements</translation>
    </message>
    <message>
        <source>vigie bench lighting needs the mosquitto binary</source>
        <translation>vigie bench lighting a besoin du programme mosquitto</translation>
    </message>
    <message>
        <source>{backend}: preview of {lights} lights in {groups} groups {preview:.0f} ms (reading them bare {read:.0f} ms, ratio {pratio:.1f}); profiles pushed and answered in {push:.1f} s, {done} lights confirmed (a dim to the same groups {dim:.1f} s, ratio {dratio:.2f}); 30 nights of Energy {e30:.0f} ms from {readings} readings (one night {e1:.0f} ms, ratio {eratio:.1f}; summing the readings instead {scan:.0f} ms)</source>
        <translation>{backend} : prévisualisation de {lights} luminaires en {groups} groupes {preview:.0f} ms (leur simple lecture {read:.0f} ms, rapport {pratio:.1f}) ; profils envoyés et confirmés en {push:.1f} s, {done} luminaires confirmés (une gradation des mêmes groupes {dim:.1f} s, rapport {dratio:.2f}) ; 30 nuits d&apos;énergie {e30:.0f} ms sur {readings} relevés (une nuit {e1:.0f} ms, rapport {eratio:.1f} ; en sommant les relevés {scan:.0f} ms)</translation>
    </message>
    <message>
        <source>{value} is too short: at least {min:g} seconds</source>
        <extracomment>The shortest measure ``vigie bench video`` takes: less says nothing about a stream&apos;s pace.</extracomment>
        <translation>{value} est trop court : au moins {min:g} secondes</translation>
    </message>
    <message>
        <source>--stall-one needs other tiles to go on: --tiles 4 or 9</source>
        <translation>--stall-one a besoin d&apos;autres tuiles qui continuent : --tiles 4 ou 9</translation>
    </message>
    <message>
        <source>wall of {n} tiles</source>
        <translation>mur de {n} tuiles</translation>
    </message>
    <message>
        <source>one tile alone</source>
        <translation>une tuile seule</translation>
    </message>
    <message>
        <source>{name}, {seconds:.0f} s: {fps:.1f} frames a second at least per tile, {painted:.1f} % of the frames received painted; GUI thread&apos;s longest stall {longest:.0f} ms, 99th percentile {p99:.1f} ms; resident memory {growth:+.1f} MB</source>
        <translation>{name}, {seconds:.0f} s : au moins {fps:.1f} images par seconde par tuile, {painted:.1f} % des images reçues peintes ; plus long blocage du fil de l&apos;interface {longest:.0f} ms, 99e centile {p99:.1f} ms ; mémoire résidente {growth:+.1f} Mo</translation>
    </message>
    <message>
        <source>frames a second per tile: {fps}</source>
        <translation>images par seconde par tuile : {fps}</translation>
    </message>
    <message>
        <source>tile {tile} ({camera}) stalled when the measure began: {fps:.1f} frames a second; the other tiles are the ones measured against the targets</source>
        <translation>la tuile {tile} ({camera}) s&apos;est bloquée au début de la mesure : {fps:.1f} images par seconde ; les autres tuiles sont celles comparées aux objectifs</translation>
    </message>
    <message>
        <source>frames a second, lowest tile</source>
        <translation>images par seconde, tuile la plus lente</translation>
    </message>
    <message>
        <source>frames painted / received</source>
        <translation>images peintes / reçues</translation>
    </message>
    <message>
        <source>GUI thread&apos;s longest stall (ms)</source>
        <translation>plus long blocage du fil de l&apos;interface (ms)</translation>
    </message>
    <message>
        <source>resident memory growth (MB)</source>
        <translation>croissance de la mémoire résidente (Mo)</translation>
    </message>
    <message>
        <source>target</source>
        <translation>objectif</translation>
    </message>
    <message>
        <source>measured</source>
        <translation>mesuré</translation>
    </message>
    <message>
        <source>limit</source>
        <translation>limite</translation>
    </message>
    <message>
        <source>met</source>
        <translation>atteint</translation>
    </message>
    <message>
        <source>vigie bench opendata could not run: {reason}</source>
        <translation>vigie bench opendata n&apos;a pas pu s&apos;exécuter : {reason}</translation>
    </message>
    <message>
        <source>{backend}: {readers} readers on {processes} process(es), {rate:g} posts a second offered, {seconds:g} s measured after a baseline of {baseline:g} s; {seeded} requests posted first</source>
        <translation>{backend} : {readers} lecteurs sur {processes} processus, {rate:g} envois par seconde proposés, {seconds:g} s mesurées après une référence de {baseline:g} s ; {seeded} demandes envoyées d&apos;abord</translation>
    </message>
    <message>
        <source>route</source>
        <translation>route</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>réponses</translation>
    </message>
    <message>
        <source>errors</source>
        <translation>erreurs</translation>
    </message>
    <message>
        <source>per second</source>
        <translation>par seconde</translation>
    </message>
    <message>
        <source>GET /health, the baseline</source>
        <translation>GET /health, la référence</translation>
    </message>
    <message>
        <source>all reads</source>
        <translation>toutes les lectures</translation>
    </message>
    <message>
        <source>GET /health under the load</source>
        <translation>GET /health sous la charge</translation>
    </message>
    <message>
        <source>reads against the static route: p50 {p50:.1f} times, p99 {p99:.1f} times; {accepted} posts accepted of {offered} offered</source>
        <translation>lectures face à la route statique : p50 {p50:.1f} fois, p99 {p99:.1f} fois ; {accepted} envois acceptés sur {offered} proposés</translation>
    </message>
    <message>
        <source>reads, p99 (ms)</source>
        <translation>lectures, p99 (ms)</translation>
    </message>
    <message>
        <source>posts, p99 (ms)</source>
        <translation>envois, p99 (ms)</translation>
    </message>
    <message>
        <source>on the record: {accepted} accepted posts (the first ones too), {ids} distinct ids, {recorded} requests recorded, {mapped} incidents ({incidents} in all): {verdict}</source>
        <translation>dans la base : {accepted} envois acceptés (les premiers compris), {ids} identifiants distincts, {recorded} demandes enregistrées, {mapped} incidents ({incidents} en tout) : {verdict}</translation>
    </message>
    <message>
        <source>each accepted post is exactly one incident</source>
        <translation>chaque envoi accepté est exactement un incident</translation>
    </message>
    <message>
        <source>the record does NOT match the accepted posts</source>
        <translation>la base NE correspond PAS aux envois acceptés</translation>
    </message>
    <message>
        <source>processor, share of one core: the service {server} under the load ({base} during the baseline), the readers {readers} ({base_readers}), the poster {poster}</source>
        <translation>processeur, part d&apos;un cœur : le service {server} sous la charge ({base} pendant la référence), les lecteurs {readers} ({base_readers}), l&apos;émetteur {poster}</translation>
    </message>
    <message>
        <source>the figures of a day and of a month of Dijon&apos;s history, against a bare count</source>
        <translation>les chiffres d&apos;une journée et d&apos;un mois de l&apos;historique de Dijon, face à un simple comptage</translation>
    </message>
    <message>
        <source>Backfills a scratch database (a temporary SQLite file; with --db naming a PostgreSQL server, a temporary schema there too, dropped afterwards) with a month of Dijon&apos;s history, then times the figures of its last whole day and of the whole month, each first cold then as the median of 3 reads, against a bare count of the same incidents, and the day&apos;s PDF drawn from its figures. Exit status 0 when every backend met issue 22&apos;s goals (the day&apos;s figures and PDF within 10 s, the month&apos;s figures within 2 s), 1 otherwise.</source>
        <translation>Remplit une base jetable (un fichier SQLite temporaire ; avec --db désignant un serveur PostgreSQL, un schéma temporaire sur ce serveur aussi, supprimé ensuite) d&apos;un mois de l&apos;historique de Dijon, puis chronomètre les chiffres de son dernier jour complet et du mois entier, chacun d&apos;abord à froid puis en médiane de 3 lectures, face à un simple comptage des mêmes incidents, ainsi que le PDF du jour tiré de ses chiffres. Code de sortie 0 si chaque backend a atteint les objectifs de l&apos;issue 22 (chiffres et PDF du jour en 10 s au plus, chiffres du mois en 2 s au plus), 1 sinon.</translation>
    </message>
    <message>
        <source>days of history backfilled (default 30)</source>
        <translation>jours d&apos;historique remplis (30 par défaut)</translation>
    </message>
    <message>
        <source>incidents a day in the history (default 1000)</source>
        <translation>incidents par jour dans l&apos;historique (1000 par défaut)</translation>
    </message>
    <message>
        <source>time the figures only, not the day&apos;s PDF</source>
        <translation>chronométrer les chiffres seulement, pas le PDF du jour</translation>
    </message>
    <message>
        <source>{backend}: {days} day(s) at {rate} incidents a day backfilled in {fill:.0f} s ({rows} rows)</source>
        <translation>{backend} : {days} jour(s) à {rate} incidents par jour remplis en {fill:.0f} s ({rows} lignes)</translation>
    </message>
    <message>
        <source>day {day}</source>
        <translation>la journée du {day}</translation>
    </message>
    <message>
        <source>all {days} day(s)</source>
        <translation>l&apos;ensemble des {days} jour(s)</translation>
    </message>
    <message>
        <source>  figures of {what} ({n} incidents): {first:.2f} s cold, {median:.2f} s median of 3; a bare count of them {base:.3f} s (ratio {ratio:.0f})</source>
        <translation>  chiffres de {what} ({n} incidents) : {first:.2f} s à froid, {median:.2f} s en médiane de 3 ; leur simple comptage {base:.3f} s (rapport {ratio:.0f})</translation>
    </message>
    <message>
        <source>  the day&apos;s PDF: {pages} page(s) in {pdf:.2f} s; the day&apos;s report {total:.2f} s in all</source>
        <translation>  PDF du jour : {pages} page(s) en {pdf:.2f} s ; rapport du jour {total:.2f} s au total</translation>
    </message>
    <message>
        <source>  goals met (day&apos;s report ≤ 10 s, month&apos;s figures ≤ 2 s)</source>
        <translation>  objectifs atteints (rapport du jour ≤ 10 s, chiffres du mois ≤ 2 s)</translation>
    </message>
    <message>
        <source>  goals NOT met (day&apos;s report ≤ 10 s, month&apos;s figures ≤ 2 s)</source>
        <translation>  objectifs NON atteints (rapport du jour ≤ 10 s, chiffres du mois ≤ 2 s)</translation>
    </message>
    <message>
        <source>show the configuration in effect</source>
        <translation>afficher la configuration en vigueur</translation>
    </message>
    <message>
        <source>Settings come from flags, then environment variables, then the config file, then defaults.</source>
        <translation>Les réglages viennent des options, puis des variables d&apos;environnement, puis du fichier de configuration, puis des valeurs par défaut.</translation>
    </message>
    <message>
        <source>print each setting and where it came from</source>
        <translation>afficher chaque réglage et sa provenance</translation>
    </message>
    <message>
        <source>flag</source>
        <translation>option</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>environnement</translation>
    </message>
    <message>
        <source>config file</source>
        <translation>fichier de configuration</translation>
    </message>
    <message>
        <source>default</source>
        <translation>défaut</translation>
    </message>
    <message>
        <source>setting</source>
        <translation>réglage</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valeur</translation>
    </message>
    <message>
        <source>from</source>
        <translation>provenance</translation>
    </message>
    <message>
        <source>present</source>
        <translation>présent</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>absent</translation>
    </message>
    <message>
        <source>create or upgrade the database schema</source>
        <extracomment>What creates the first operator of a new database.</extracomment>
        <translation>créer ou mettre à jour le schéma de la base</translation>
    </message>
    <message>
        <source>Create or upgrade the shared database&apos;s schema.</source>
        <translation>Créer ou mettre à jour le schéma de la base partagée.</translation>
    </message>
    <message>
        <source>bring the schema to this version (creates it on an empty database)</source>
        <translation>amener le schéma à cette version (le crée sur une base vide)</translation>
    </message>
    <message>
        <source>Bring the schema to this version of Vigie. On an empty database it also creates its first admin operator (your OS user unless --admin names another), whose password is asked twice on a terminal or read from standard input.</source>
        <translation>Amène le schéma à cette version de Vigie. Sur une base vide, crée aussi son premier opérateur admin (votre utilisateur système, sauf si --admin en nomme un autre), dont le mot de passe est demandé deux fois au terminal ou lu sur l&apos;entrée standard.</translation>
    </message>
    <message>
        <source>the first admin&apos;s name on an empty database (default: your OS user)</source>
        <translation>le nom du premier admin d&apos;une base vide (par défaut : votre utilisateur système)</translation>
    </message>
    <message>
        <source>read the first admin&apos;s password from standard input (for scripts)</source>
        <translation>lire le mot de passe du premier admin sur l&apos;entrée standard (pour les scripts)</translation>
    </message>
    <message>
        <source>PostgreSQL: the prefix of this database&apos;s group roles, which are shared by the whole cluster (VIGIE_ROLE_PREFIX; default: vigie_; kept from the first upgrade on)</source>
        <translation>PostgreSQL : le préfixe des rôles de groupe de cette base, partagés par tout le cluster (VIGIE_ROLE_PREFIX ; par défaut : vigie_ ; conservé dès la première mise à niveau)</translation>
    </message>
    <message>
        <source>show the schema&apos;s revision and this Vigie&apos;s</source>
        <translation>afficher la révision du schéma et celle qu&apos;attend ce Vigie</translation>
    </message>
    <message>
        <source>upgrade the database {url} from revision {before} to {head}?</source>
        <translation>mettre à jour la base {url} de la révision {before} à {head} ?</translation>
    </message>
    <message>
        <source>database {url}: schema at revision {head} (was {before})</source>
        <translation>base {url} : schéma en révision {head} (auparavant : {before})</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vide</translation>
    </message>
    <message>
        <source>PostgreSQL enforces the permission matrix: group roles {prefix}*, operators&apos; logins managed by {prefix}manager</source>
        <translation>PostgreSQL applique la matrice des permissions : rôles de groupe {prefix}*, connexions des opérateurs gérées par {prefix}manager</translation>
    </message>
    <message>
        <source>created operator {name} (admin)</source>
        <translation>opérateur {name} créé (admin)</translation>
    </message>
    <message>
        <source>database {url}: revision {current}, this Vigie needs {head}</source>
        <translation>base {url} : révision {current}, ce Vigie attend {head}</translation>
    </message>
    <message>
        <source>run the whole system on embedded defaults</source>
        <extracomment>A few people of the room, one per role, so every perspective can be tried. The demo&apos;s operators all log in with this password, printed at every start. A demo database lives on one workstation and holds simulated data only; a room&apos;s operators get their own.</extracomment>
        <translation>lancer tout le système avec les réglages embarqués</translation>
    </message>
    <message>
        <source>Start everything on embedded defaults: a local broker (unless one is configured), the database in your data folder with demo operators, the recorder and the Dijon simulator. Stop with Ctrl+C.</source>
        <translation>Tout démarrer avec les réglages embarqués : un broker local (sauf si un broker est configuré), la base dans votre dossier de données avec des opérateurs de démonstration, l&apos;enregistreur et le simulateur de Dijon. Ctrl+C arrête tout.</translation>
    </message>
    <message>
        <source>the simulated city&apos;s size (default dijon; x10: ten times Dijon, 230 communes, better on a configured Mosquitto than on the embedded broker)</source>
        <translation>la taille de la ville simulée (par défaut dijon ; x10 : dix fois Dijon, 230 communes, mieux sur un Mosquitto configuré que sur le broker intégré)</translation>
    </message>
    <message>
        <source>time acceleration of the simulation (default 10)</source>
        <translation>accélération du temps de la simulation (10 par défaut)</translation>
    </message>
    <message>
        <source>stop by itself after S seconds (unattended runs)</source>
        <translation>s&apos;arrêter seul après S secondes (exécutions sans surveillance)</translation>
    </message>
    <message>
        <source>run the field and the recorder only, without the console window</source>
        <translation>lancer seulement le terrain et l&apos;enregistreur, sans la fenêtre de la console</translation>
    </message>
    <message>
        <source>To try &apos;vigie query stats&apos; or &apos;vigie command&apos; in another terminal, paste these lines there first:</source>
        <translation>Pour essayer « vigie query stats » ou « vigie command » dans un autre terminal, collez-y d&apos;abord ces lignes :</translation>
    </message>
    <message>
        <source>cameras will not open: {reason}</source>
        <translation>les caméras ne s&apos;ouvriront pas : {reason}</translation>
    </message>
    <message>
        <source>database ready: {url}</source>
        <translation>base prête : {url}</translation>
    </message>
    <message>
        <source>operators added: {names}</source>
        <translation>opérateurs ajoutés : {names}</translation>
    </message>
    <message>
        <source>log in as one of {names} with the password {password}</source>
        <translation>connectez-vous comme l’un de {names} avec le mot de passe {password}</translation>
    </message>
    <message>
        <source>Running: broker, recorder, simulator and console. Closing the console or Ctrl+C stops everything.</source>
        <translation>En marche : broker, enregistreur, simulateur et console. Fermer la console ou Ctrl+C arrête tout.</translation>
    </message>
    <message>
        <source>the {part} stopped by itself; demo stopped</source>
        <translation>le composant {part} s&apos;est arrêté de lui-même ; démonstration arrêtée</translation>
    </message>
    <message>
        <source>demo stopped</source>
        <translation>démonstration arrêtée</translation>
    </message>
    <message>
        <source>write and read the room&apos;s logbook</source>
        <translation>écrire et lire la main courante de la salle</translation>
    </message>
    <message>
        <source>The logbook (main courante): dated entries, each an audited act.</source>
        <translation>La main courante : des entrées datées, chacune un acte audité.</translation>
    </message>
    <message>
        <source>write an entry as the operator in effect</source>
        <translation>écrire une entrée au nom de l&apos;opérateur en vigueur</translation>
    </message>
    <message>
        <source>the entry&apos;s text</source>
        <translation>le texte de l&apos;entrée</translation>
    </message>
    <message>
        <source>list entries, oldest first</source>
        <translation>lister les entrées, les plus anciennes d&apos;abord</translation>
    </message>
    <message>
        <source>only the newest N entries</source>
        <translation>seulement les N entrées les plus récentes</translation>
    </message>
    <message>
        <source>only this operator&apos;s entries</source>
        <translation>seulement les entrées de cet opérateur</translation>
    </message>
    <message>
        <source>logbook entry {id} written at {at} by {operator}</source>
        <translation>entrée {id} de la main courante écrite à {at} par {operator}</translation>
    </message>
    <message>
        <source>Operators are the people who act in Vigie, each with a role.</source>
        <translation>Les opérateurs sont les personnes qui agissent dans Vigie, chacune avec un rôle.</translation>
    </message>
    <message>
        <source>add an operator (admins only)</source>
        <translation>ajouter un opérateur (admins seulement)</translation>
    </message>
    <message>
        <source>the operator&apos;s name, e.g. m.dupont</source>
        <translation>le nom de l&apos;opérateur, par exemple m.dupont</translation>
    </message>
    <message>
        <source>the operator&apos;s role: {roles}</source>
        <translation>le rôle de l&apos;opérateur : {roles}</translation>
    </message>
    <message>
        <source>read the password from the first line of standard input (for scripts)</source>
        <translation>lire le mot de passe sur la première ligne de l&apos;entrée standard (pour les scripts)</translation>
    </message>
    <message>
        <source>add, list, disable and re-role operators; set passwords</source>
        <translation>ajouter, lister, désactiver les opérateurs, changer leur rôle ; définir les mots de passe</translation>
    </message>
    <message>
        <source>list the operators</source>
        <translation>lister les opérateurs</translation>
    </message>
    <message>
        <source>stop an operator from logging in and acting (admins only)</source>
        <translation>empêcher un opérateur de se connecter et d&apos;agir (admins seulement)</translation>
    </message>
    <message>
        <source>let a disabled operator back in (admins only)</source>
        <translation>réactiver un opérateur désactivé (admins seulement)</translation>
    </message>
    <message>
        <source>change an operator&apos;s role (admins only)</source>
        <translation>changer le rôle d&apos;un opérateur (admins seulement)</translation>
    </message>
    <message>
        <source>why (a role change waits for a second operator&apos;s approval)</source>
        <translation>pourquoi (un changement de rôle attend l’approbation d’un second opérateur)</translation>
    </message>
    <message>
        <source>set an operator&apos;s password (admins; anyone for their own)</source>
        <translation>définir le mot de passe d&apos;un opérateur (admins ; chacun pour le sien)</translation>
    </message>
    <message>
        <source>operator {name} added as {role}</source>
        <translation>opérateur {name} ajouté comme {role}</translation>
    </message>
    <message>
        <source>operator {name} disabled</source>
        <translation>opérateur {name} désactivé</translation>
    </message>
    <message>
        <source>operator {name} enabled</source>
        <translation>opérateur {name} réactivé</translation>
    </message>
    <message>
        <source>a role change waits for approval and needs --reason TEXT</source>
        <translation>un changement de rôle attend une approbation et demande --reason TEXTE</translation>
    </message>
    <message>
        <source>operator {name}: role {before} becomes {after}</source>
        <translation>opérateur {name} : le rôle {before} devient {after}</translation>
    </message>
    <message>
        <source>operator {name} is now {role}</source>
        <translation>l&apos;opérateur {name} est désormais {role}</translation>
    </message>
    <message>
        <source>password of {name} changed</source>
        <translation>mot de passe de {name} changé</translation>
    </message>
    <message>
        <source>the Open311 service citizens&apos; apps talk to, and its API keys</source>
        <translation>le service Open311 des applications citoyennes, et ses clés d&apos;API</translation>
    </message>
    <message>
        <source>Open311 GeoReport v2 under /open311/v2/: the city&apos;s services, citizens&apos; requests recorded as incidents, and their status as the control room updates them.</source>
        <translation>Open311 GeoReport v2 sous /open311/v2/ : les services de la ville, les demandes des citoyens enregistrées comme incidents, et leur statut tel que la salle le met à jour.</translation>
    </message>
    <message>
        <source>serve Open311 GeoReport v2 (until SIGTERM)</source>
        <translation>servir Open311 GeoReport v2 (jusqu&apos;à SIGTERM)</translation>
    </message>
    <message>
        <source>Serve Open311 GeoReport v2 over HTTP, and the open data export under /opendata/, written into opendata_folder each night at 04:00. On PostgreSQL, log in as the service&apos;s own role (vigie_opendata): it reads the public views and records requests, nothing else.</source>
        <translation>Sert Open311 GeoReport v2 en HTTP, et l&apos;export des données ouvertes sous /opendata/, écrit dans opendata_folder chaque nuit à 04:00. Sous PostgreSQL, se connecter avec le rôle propre du service (vigie_opendata) : il lit les vues publiques et enregistre les demandes, rien d&apos;autre.</translation>
    </message>
    <message>
        <source>address to listen on (default: 127.0.0.1, this machine only)</source>
        <translation>adresse d&apos;écoute (par défaut : 127.0.0.1, cette machine seulement)</translation>
    </message>
    <message>
        <source>port to listen on (default: {port})</source>
        <translation>port d&apos;écoute (par défaut : {port})</translation>
    </message>
    <message>
        <source>write the open data files and their DCAT-AP catalogue</source>
        <translation>écrire les fichiers de données ouvertes et leur catalogue DCAT-AP</translation>
    </message>
    <message>
        <source>Write the open datasets (CSV and GeoJSON) and their DCAT-AP catalogue (catalogue.jsonld) into a folder: street-light energy and faults, traffic flow, bus priority, incidents per commune and on a 250 m grid (never a count under 5, nor one a total gives back), winter service, the snow plan&apos;s levels; camera locations only if opendata_datasets names them. Only hours, days and weeks that are over. Never a unit&apos;s position, a person, a description, a photo, an operator or a camera view. On PostgreSQL, run it as the service&apos;s role (vigie_opendata).</source>
        <translation>Écrit dans un dossier les jeux de données ouverts (CSV et GeoJSON) et leur catalogue DCAT-AP (catalogue.jsonld) : énergie et pannes de l&apos;éclairage public, débits de trafic, priorité bus, incidents par commune et sur une grille de 250 m (jamais un nombre inférieur à 5, ni un nombre qu&apos;un total redonnerait), viabilité hivernale, niveaux du plan neige ; l&apos;emplacement des caméras seulement si opendata_datasets le nomme. Seulement les heures, jours et semaines terminés. Jamais la position d&apos;une unité, une personne, une description, une photo, un opérateur ni une vue de caméra. Sous PostgreSQL, le lancer avec le rôle du service (vigie_opendata).</translation>
    </message>
    <message>
        <source>the folder to write into (created if need be)</source>
        <translation>le dossier où écrire (créé au besoin)</translation>
    </message>
    <message>
        <source>from the week of DATE (YYYY-MM-DD, the room&apos;s calendar; default: a year back)</source>
        <translation>à partir de la semaine de DATE (AAAA-MM-JJ, au calendrier de la salle ; par défaut : un an en arrière)</translation>
    </message>
    <message>
        <source>the API keys (admins)</source>
        <translation>les clés d&apos;API (administrateurs)</translation>
    </message>
    <message>
        <source>issue a key; it is printed once, alone on the last line</source>
        <translation>émettre une clé ; elle est affichée une seule fois, seule sur la dernière ligne</translation>
    </message>
    <message>
        <source>who the key is for</source>
        <translation>à qui la clé est destinée</translation>
    </message>
    <message>
        <source>no rate limit for this key (a benchmark&apos;s, a trusted gateway&apos;s)</source>
        <translation>pas de limite de débit pour cette clé (celle d&apos;un banc d&apos;essai, d&apos;une passerelle de confiance)</translation>
    </message>
    <message>
        <source>list the keys</source>
        <translation>lister les clés</translation>
    </message>
    <message>
        <source>revoke a key: refused from then on</source>
        <translation>révoquer une clé : refusée dès lors</translation>
    </message>
    <message>
        <source>the key&apos;s name</source>
        <translation>le nom de la clé</translation>
    </message>
    <message>
        <source>--port {port} is not a port (1 to 65535)</source>
        <translation>--port {port} n&apos;est pas un port (1 à 65535)</translation>
    </message>
    <message>
        <source>cannot listen on {host}:{port}: in use, or not this machine&apos;s</source>
        <translation>impossible d&apos;écouter sur {host}:{port} : déjà pris, ou pas une adresse de cette machine</translation>
    </message>
    <message>
        <source>Open311 service on {url} (database {db}, broker {broker})</source>
        <translation>service Open311 sur {url} (base {db}, broker {broker})</translation>
    </message>
    <message>
        <source>Open311 service stopped</source>
        <translation>service Open311 arrêté</translation>
    </message>
    <message>
        <source>--out {path} is not a folder</source>
        <translation>--out {path} n&apos;est pas un dossier</translation>
    </message>
    <message>
        <source>cannot write into {path}: {reason}</source>
        <translation>impossible d&apos;écrire dans {path} : {reason}</translation>
    </message>
    <message>
        <source>dataset</source>
        <translation>jeu de données</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>lignes</translation>
    </message>
    <message>
        <source>{files} files and catalogue.jsonld written into {path}, from {first} to the end of {last}</source>
        <translation>{files} fichiers et catalogue.jsonld écrits dans {path}, du {first} à la fin du {last}</translation>
    </message>
    <message>
        <source>removed {file} (no longer published)</source>
        <translation>{file} supprimé (plus publié)</translation>
    </message>
    <message>
        <source>warning: serving as {login}, not {role}: the service holds more rights than it needs (docs/opendata.md, &apos;Its own identity&apos;)</source>
        <translation>attention : service sous {login}, pas {role} : le service détient plus de droits qu&apos;il ne lui en faut (docs/opendata.md, « Its own identity »)</translation>
    </message>
    <message>
        <source>API key {name} issued; it is shown once, here, and kept only hashed:</source>
        <translation>clé d&apos;API {name} émise ; elle n&apos;est montrée qu&apos;une fois, ici, et n&apos;est conservée que hachée :</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <source>issued</source>
        <translation>émise</translation>
    </message>
    <message>
        <source>by</source>
        <translation>par</translation>
    </message>
    <message>
        <source>rate exempt</source>
        <translation>sans limite de débit</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>révoquée</translation>
    </message>
    <message>
        <source>revoke API key {name}</source>
        <translation>révoquer la clé d&apos;API {name}</translation>
    </message>
    <message>
        <source>API key {name} revoked</source>
        <translation>clé d&apos;API {name} révoquée</translation>
    </message>
    <message>
        <source>role</source>
        <translation>rôle</translation>
    </message>
    <message>
        <source>state</source>
        <translation>état</translation>
    </message>
    <message>
        <source>since</source>
        <translation>depuis</translation>
    </message>
    <message>
        <source>added by</source>
        <translation>ajouté par</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>actif</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <source>refused: not authenticated: no password for {name} (set VIGIE_PASSWORD, or run on a terminal to be asked)</source>
        <translation>refusé : non authentifié : aucun mot de passe pour {name} (définissez VIGIE_PASSWORD, ou lancez depuis un terminal pour qu’il soit demandé)</translation>
    </message>
    <message>
        <source>password for {name}: </source>
        <translation>mot de passe de {name} : </translation>
    </message>
    <message>
        <source>{question}: refused, standard input is not a terminal; add --yes</source>
        <translation>{question} : refusé, l&apos;entrée standard n&apos;est pas un terminal ; ajoutez --yes</translation>
    </message>
    <message>
        <source>{question} [y/N] </source>
        <translation>{question} [o/N] </translation>
    </message>
    <message>
        <source>cancelled, nothing was done</source>
        <translation>annulé, rien n&apos;a été fait</translation>
    </message>
    <message>
        <source>Vigie, the operator console of a city&apos;s unified control room. Every subcommand takes the global options before or after its name.</source>
        <translation>Vigie, la console des opérateurs du poste de commandement unifié d&apos;une ville. Chaque sous-commande accepte les options globales avant ou après son nom.</translation>
    </message>
    <message>
        <source>Exit status: 0 done; 1 something did not happen; 2 usage error; 3 outcome unknown or too late; 4 broker or database unreachable, nothing recorded.</source>
        <translation>Code de sortie : 0 fait ; 1 quelque chose n&apos;a pas eu lieu ; 2 erreur d&apos;utilisation ; 3 résultat inconnu ou trop tardif ; 4 broker ou base injoignable, rien n&apos;a été enregistré.</translation>
    </message>
    <message>
        <source>interrupted</source>
        <extracomment>Errors that mean nothing was recorded because the broker or database was out of reach.</extracomment>
        <translation>interrompu</translation>
    </message>
    <message>
        <source>internal error: {kind}: {detail} (set VIGIE_DEBUG=1 for details)</source>
        <translation>erreur interne : {kind} : {detail} (VIGIE_DEBUG=1 pour le détail)</translation>
    </message>
    <message>
        <source>see &apos;{prog} --help&apos;</source>
        <translation>voir &apos;{prog} --help&apos;</translation>
    </message>
    <message>
        <source> (did you mean {option}?)</source>
        <translation> (vouliez-vous dire {option} ?)</translation>
    </message>
    <message>
        <source>global options</source>
        <translation>options globales</translation>
    </message>
    <message>
        <source>database URL (VIGIE_DB_URL; default: SQLite in your data folder)</source>
        <translation>URL de la base (VIGIE_DB_URL ; par défaut : SQLite dans votre dossier de données)</translation>
    </message>
    <message>
        <source>MQTT broker URL (VIGIE_BROKER_URL; default: mqtt://127.0.0.1:1883)</source>
        <translation>URL du broker MQTT (VIGIE_BROKER_URL ; par défaut : mqtt://127.0.0.1:1883)</translation>
    </message>
    <message>
        <source>log in to the broker with the password on this file&apos;s first line (mode 600); the user is the URL&apos;s, else the file&apos;s name (VIGIE_BROKER_PASSWORD_FILE)</source>
        <translation>se connecter au broker avec le mot de passe de la première ligne de ce fichier (mode 600) ; l’utilisateur est celui de l’URL, sinon le nom du fichier (VIGIE_BROKER_PASSWORD_FILE)</translation>
    </message>
    <message>
        <source>MQTT topic prefix (VIGIE_MQTT_ROOT; default: vigie)</source>
        <translation>préfixe des topics MQTT (VIGIE_MQTT_ROOT ; par défaut : vigie)</translation>
    </message>
    <message>
        <source>who acts (VIGIE_OPERATOR; default: your OS user name)</source>
        <translation>qui agit (VIGIE_OPERATOR ; par défaut : votre nom d&apos;utilisateur système)</translation>
    </message>
    <message>
        <source>answer yes to confirmations (needed when not run from a terminal)</source>
        <translation>répondre oui aux confirmations (nécessaire hors d&apos;un terminal)</translation>
    </message>
    <message>
        <source>print stable JSON (English keys, ISO 8601 UTC times)</source>
        <translation>sortie JSON stable (clés en anglais, heures ISO 8601 UTC)</translation>
    </message>
    <message>
        <source>command a device or a group</source>
        <extracomment>How an outcome maps to an exit status: failed beats unknown (architecture).</extracomment>
        <translation>commander un équipement ou un groupe</translation>
    </message>
    <message>
        <source>Send a command to one device (TYPE ID) or a group (group commune:INSEE, group all:TYPE, group STREETLIGHTGROUP-ID). It is recorded, published, and pending until the field acknowledges it.</source>
        <translation>Envoyer une commande à un équipement (TYPE ID) ou à un groupe (group commune:INSEE, group all:TYPE, group ID-DE-GROUPE). Elle est enregistrée, publiée, et en attente jusqu&apos;à l&apos;acquittement du terrain.</translation>
    </message>
    <message>
        <source>equipment type, or &apos;group&apos;</source>
        <translation>type d&apos;équipement, ou &apos;group&apos;</translation>
    </message>
    <message>
        <source>device or group id</source>
        <translation>identifiant de l&apos;équipement ou du groupe</translation>
    </message>
    <message>
        <source>switch, dim, set_plan, priority, preset, reboot, raise or lower</source>
        <translation>switch, dim, set_plan, priority, preset, reboot, raise ou lower</translation>
    </message>
    <message>
        <source>parameters, e.g. powerState=off until=+2h</source>
        <translation>paramètres, par exemple powerState=off until=+2h</translation>
    </message>
    <message>
        <source>wait for the outcome and exit by it</source>
        <translation>attendre le résultat et sortir selon lui</translation>
    </message>
    <message>
        <source>the field ignores it after this (default 30)</source>
        <translation>le terrain l&apos;ignore passé ce délai (30 par défaut)</translation>
    </message>
    <message>
        <source>why (required when the act waits for a second operator&apos;s approval)</source>
        <translation>pourquoi (obligatoire quand l’acte attend l’approbation d’un second opérateur)</translation>
    </message>
    <message>
        <source>{rule}: this act waits for approval and needs --reason TEXT</source>
        <translation>{rule} : cet acte attend une approbation et demande --reason TEXTE</translation>
    </message>
    <message>
        <source>request approval for: {act}</source>
        <translation>demander l’approbation de : {act}</translation>
    </message>
    <message>
        <source>{command} {params} on {count} device(s) of {target} behind {gateways} gateway(s), in {places}</source>
        <extracomment>Devices named one by one in an outcome, before &quot;…&quot;.</extracomment>
        <translation>{command} {params} sur {count} équipement(s) de {target} derrière {gateways} passerelle(s), à {places}</translation>
    </message>
    <message>
        <source>{command} {params} on {type} {target}, in {places}</source>
        <translation>{command} {params} sur {type} {target}, à {places}</translation>
    </message>
    <message>
        <source>warning: Vigie has never heard of {type} {id}; sending all the same</source>
        <translation>attention : Vigie ne connaît pas {type} {id} ; envoi quand même</translation>
    </message>
    <message>
        <source>warning: no known device in {target}; sending all the same</source>
        <translation>attention : aucun équipement connu dans {target} ; envoi quand même</translation>
    </message>
    <message>
        <source>{request_id}: {status}, {ok} succeeded</source>
        <translation>{request_id} : {status}, {ok} réussi(s)</translation>
    </message>
    <message>
        <source>  failed: {device} ({reason})</source>
        <translation>  échec : {device} ({reason})</translation>
    </message>
    <message>
        <source>  no answer from gateway {gateway} ({count} device(s): {devices})</source>
        <translation>  pas de réponse de la passerelle {gateway} ({count} équipement(s) : {devices})</translation>
    </message>
    <message>
        <source>  unconfirmed (no known gateway): {devices}</source>
        <translation>  non confirmés (aucune passerelle connue) : {devices}</translation>
    </message>
    <message>
        <source>read the record</source>
        <translation>lire l&apos;enregistrement</translation>
    </message>
    <message>
        <source>List incidents, equipment, units, commands, quarantine or statistics. Everything is listed unless filtered.</source>
        <translation>Lister incidents, équipements, unités, commandes, quarantaine ou statistiques. Tout est listé sauf filtre.</translation>
    </message>
    <message>
        <source>at most N rows</source>
        <translation>au plus N lignes</translation>
    </message>
    <message>
        <source>incidents</source>
        <translation>incidents</translation>
    </message>
    <message>
        <source>only these statuses (repeatable)</source>
        <translation>seulement ces statuts (répétable)</translation>
    </message>
    <message>
        <source>equipment and its state</source>
        <translation>les équipements et leur état</translation>
    </message>
    <message>
        <source>with each camera&apos;s streamURL: logs in, for roles that may view cameras (exit 5 otherwise); without it, no streamURL is listed</source>
        <translation>avec le streamURL de chaque caméra : se connecte, pour les rôles autorisés à voir les caméras (sinon sortie 5) ; sans cette option, aucun streamURL n’est listé</translation>
    </message>
    <message>
        <source>units and their last position</source>
        <translation>les unités et leur dernière position</translation>
    </message>
    <message>
        <source>commands and their outcome, newest first</source>
        <translation>commandes et leur résultat, les plus récentes d&apos;abord</translation>
    </message>
    <message>
        <source>List the commands and their outcome, newest first (the text and --json alike).</source>
        <translation>Lister les commandes et leur résultat, les plus récentes d&apos;abord (en texte comme en --json).</translation>
    </message>
    <message>
        <source>the N newest commands only</source>
        <translation>les N commandes les plus récentes seulement</translation>
    </message>
    <message>
        <source>rejected messages</source>
        <translation>les messages rejetés</translation>
    </message>
    <message>
        <source>message and incident counts</source>
        <translation>nombres de messages et d&apos;incidents</translation>
    </message>
    <message>
        <source>late</source>
        <translation>en retard</translation>
    </message>
    <message>
        <source>what</source>
        <translation>quoi</translation>
    </message>
    <message>
        <source>count</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>record the field into the database (headless, until SIGTERM)</source>
        <translation>enregistrer le terrain dans la base (sans écran, jusqu&apos;à SIGTERM)</translation>
    </message>
    <message>
        <source>Subscribe with a persistent session, validate every message, write the database in batches, turn alerts, reports and faults into incidents, keep the command outbox. Stops cleanly on SIGTERM.</source>
        <translation>S&apos;abonner avec une session persistante, valider chaque message, écrire la base par lots, transformer alertes, signalements et pannes en incidents, tenir la boîte d&apos;envoi des commandes. S&apos;arrête proprement sur SIGTERM.</translation>
    </message>
    <message>
        <source>stable MQTT client id (default: recorder-HOSTNAME)</source>
        <translation>identifiant client MQTT stable (par défaut : recorder-NOMDHÔTE)</translation>
    </message>
    <message>
        <source>share the live flow with the other recorders of GROUP (MQTT shared subscriptions, $share/GROUP/...): each message reaches one member. PostgreSQL only, and a broker that serves $share; without it every recorder receives everything</source>
        <translation>partager le flux en direct avec les autres enregistreurs du GROUPE (abonnements partagés MQTT, $share/GROUPE/...) : chaque message parvient à un seul membre. PostgreSQL seulement, et un broker qui sert $share ; sans cette option chaque enregistreur reçoit tout</translation>
    </message>
    <message>
        <source>recorder {id} running on {broker}, database {db}</source>
        <translation>enregistreur {id} en marche sur {broker}, base {db}</translation>
    </message>
    <message>
        <source>sharing the live flow in group {group}</source>
        <translation>partage du flux en direct dans le groupe {group}</translation>
    </message>
    <message>
        <source>stopping: flushing what is held</source>
        <translation>arrêt : écriture de ce qui est en attente</translation>
    </message>
    <message>
        <source>recorder stopped after {count} messages</source>
        <translation>enregistreur arrêté après {count} messages</translation>
    </message>
    <message>
        <source>simulate Dijon Métropole&apos;s field on the broker</source>
        <translation>simuler le terrain de Dijon Métropole sur le broker</translation>
    </message>
    <message>
        <source>Publish the field of Dijon Métropole on the configured broker (gateways, street lights, signals, cameras, bollards, vehicles, road-weather stations, salt depots, citizen reports and alerts) and answer commands and dispatches as the field contract says, until stopped with Ctrl+C or SIGTERM. By default every command is answered correctly and nothing fails.</source>
        <translation>Publier le terrain de Dijon Métropole sur le broker configuré (passerelles, points lumineux, feux, caméras, bornes, véhicules, stations météo routières, dépôts de sel, signalements et alertes) et répondre aux commandes et aux engagements comme le dit le contrat terrain, jusqu&apos;à Ctrl+C ou SIGTERM. Par défaut chaque commande reçoit une réponse correcte et rien ne tombe en panne.</translation>
    </message>
    <message>
        <source>the same seed gives the same city and the same events</source>
        <translation>la même graine donne la même ville et les mêmes événements</translation>
    </message>
    <message>
        <source>time acceleration for demos: vehicles and events go X times faster</source>
        <translation>accélération pour les démonstrations : véhicules et événements vont X fois plus vite</translation>
    </message>
    <message>
        <source>how long devices take to answer, in milliseconds (default 50-300)</source>
        <translation>délai de réponse des équipements, en millisecondes (50-300 par défaut)</translation>
    </message>
    <message>
        <source>a preset of failure modes: mild is a plausible working day (the options below override it)</source>
        <translation>un jeu de défaillances : mild est une journée ordinaire plausible (les options ci-dessous le précisent)</translation>
    </message>
    <message>
        <source>fraction of device executions that answer failed</source>
        <translation>part des exécutions qui répondent en échec</translation>
    </message>
    <message>
        <source>probability of a fault per device and simulated day</source>
        <translation>probabilité de panne par équipement et par jour simulé</translation>
    </message>
    <message>
        <source>cabinet failures per simulated day (most of one cabinet&apos;s lights go dark)</source>
        <translation>pannes d&apos;armoire par jour simulé (la plupart des points lumineux d&apos;une armoire s&apos;éteignent)</translation>
    </message>
    <message>
        <source>gateways drop off now and then through their real Last Will, and come back</source>
        <translation>des passerelles se déconnectent de temps en temps par leur vrai Last Will, puis reviennent</translation>
    </message>
    <message>
        <source>fraction of commands executed but never acknowledged</source>
        <translation>part des commandes exécutées mais jamais acquittées</translation>
    </message>
    <message>
        <source>drop the first delivery of a request silently (of a fraction F of them, all by default); a resend is answered</source>
        <translation>ignorer en silence la première réception d&apos;une demande (d&apos;une part F d&apos;entre elles, toutes par défaut) ; un renvoi reçoit une réponse</translation>
    </message>
    <message>
        <source>the credentials folder &apos;vigie broker config&apos; wrote: each gateway and unit logs in as itself, the citizen app as citizen-app, the alarms as alarms (default: one anonymous login, as the demo&apos;s embedded broker allows)</source>
        <translation>le dossier d’identifiants écrit par « vigie broker config » : chaque passerelle et chaque unité se connecte sous sa propre identité, l’application citoyenne comme citizen-app, les alarmes comme alarms (par défaut : une connexion anonyme, comme le permet le broker intégré de la démo)</translation>
    </message>
    <message>
        <source>degrees added to the seasonal weather (e.g. -6: a cold snap for the snow plan)</source>
        <translation>degrés ajoutés à la météo de saison (p. ex. -6 : une vague de froid pour le plan neige)</translation>
    </message>
    <message>
        <source>serve the cameras&apos; live streams on this port of 127.0.0.1 (default 0: a free one)</source>
        <translation>diffuser les flux en direct des caméras sur ce port de 127.0.0.1 (0 par défaut : un port libre)</translation>
    </message>
    <message>
        <source>serve no camera stream (the cameras&apos; states name none)</source>
        <translation>ne diffuser aucun flux de caméra (les états des caméras n&apos;en nomment aucun)</translation>
    </message>
    <message>
        <source>the gateways&apos; stream secrets, a JSON object of gateway: base64 secret; made up and written there (readable by you alone) when the file does not exist (default: video-secrets.json in your data folder)</source>
        <translation>les secrets de flux des passerelles, un objet JSON passerelle : secret en base64 ; inventés et écrits là (lisibles par vous seul) quand le fichier n&apos;existe pas (par défaut : video-secrets.json dans votre dossier de données)</translation>
    </message>
    <message>
        <source>instead of simulating live, write DAYS (e.g. 30d) of the city&apos;s history ending now straight into the database: meter readings, states, positions, incidents, commands, modes; refused on a database that holds history already</source>
        <translation>au lieu de simuler en direct, écrire DAYS (par exemple 30d) d&apos;historique de la ville jusqu&apos;à maintenant directement dans la base : relevés de compteurs, états, positions, incidents, commandes, modes ; refusé sur une base qui contient déjà un historique</translation>
    </message>
    <message>
        <source>with --backfill: incidents a day (default 1000)</source>
        <translation>avec --backfill : incidents par jour (1000 par défaut)</translation>
    </message>
    <message>
        <source>backfill {n}/{of}: {phase}</source>
        <translation>rattrapage {n}/{of} : {phase}</translation>
    </message>
    <message>
        <source>{rows} rows of history written from {start} to {end} in {seconds:.0f} s:</source>
        <translation>{rows} lignes d&apos;historique écrites du {start} au {end} en {seconds:.0f} s :</translation>
    </message>
    <message>
        <source>no password for {identity} in {folder} ({missing} identities the simulator plays have none): write the broker&apos;s configuration again with &apos;vigie broker config&apos; for this field; nothing was simulated</source>
        <translation>aucun mot de passe pour {identity} dans {folder} ({missing} identités jouées par le simulateur n’en ont pas) : réécrivez la configuration du broker avec « vigie broker config » pour ce terrain ; rien n’a été simulé</translation>
    </message>
    <message>
        <source>refused: the broker {url} lets no one in without a login ({reason}): give --credentials DIR; nothing was simulated</source>
        <translation>refusé : le broker {url} n’accepte personne sans identifiant ({reason}) : donnez --credentials DOSSIER ; rien n’a été simulé</translation>
    </message>
    <message>
        <source>refused: the broker {url} turned {identity} away: bad username or password ({reason}); nothing was simulated</source>
        <translation>refusé : le broker {url} a refusé {identity} : nom d’utilisateur ou mot de passe incorrect ({reason}) ; rien n’a été simulé</translation>
    </message>
    <message>
        <source>--video-secrets: {reason}; nothing was simulated</source>
        <translation>--video-secrets : {reason} ; rien n&apos;a été simulé</translation>
    </message>
    <message>
        <source>--credentials {folder}: no such folder</source>
        <translation>--credentials {folder} : dossier introuvable</translation>
    </message>
    <message>
        <source>start the field&apos;s clock at TIME, in the past (ISO 8601, the room&apos;s time unless a zone is given, or a span back from now such as 2d or 12h), and run it --speed times faster than the wall clock until it catches up: timestamps, nights and meters follow it (default: the wall clock)</source>
        <translation>faire partir l’horloge du terrain de TIME, dans le passé (ISO 8601, à l’heure de la salle sauf fuseau donné, ou une durée en arrière depuis maintenant comme 2d ou 12h), et la faire tourner --speed fois plus vite que l’horloge murale jusqu’à ce qu’elle la rattrape : horodatages, nuits et compteurs la suivent (par défaut : l’horloge murale)</translation>
    </message>
    <message>
        <source>--start {time}: that is in the future; the field&apos;s clock starts in the past and never runs ahead of the wall clock; nothing was simulated</source>
        <translation>--start {time} : c’est dans le futur ; l’horloge du terrain part du passé et ne devance jamais l’horloge murale ; rien n’a été simulé</translation>
    </message>
    <message>
        <source>the field&apos;s clock starts at {time} and runs ×{speed} until it reaches the wall clock</source>
        <translation>l’horloge du terrain part de {time} et tourne à ×{speed} jusqu’à rejoindre l’horloge murale</translation>
    </message>
    <message>
        <source>simulating Dijon Métropole on {broker} under &apos;{root}&apos;: {lights} street lights behind {cabinets} cabinets, {signals} signals, {cameras} cameras, {bollards} bollards, {vehicles} vehicles (scale {scale}, seed {seed}, speed ×{speed})</source>
        <translation>simulation de Dijon Métropole sur {broker} sous &apos;{root}&apos; : {lights} points lumineux derrière {cabinets} armoires, {signals} feux, {cameras} caméras, {bollards} bornes, {vehicles} véhicules (échelle {scale}, graine {seed}, vitesse ×{speed})</translation>
    </message>
    <message>
        <source>dijon: the real counts (34,000 lights...); x10: ten times them (340,000 lights, the 23 real communes and 207 synthetic ones around them); small: a few hundred, for tests</source>
        <translation>dijon : les effectifs réels (34 000 points lumineux…) ; x10 : dix fois plus (340 000 points lumineux, les 23 communes réelles et 207 communes fictives autour) ; small : quelques centaines, pour les tests</translation>
    </message>
    <message>
        <source>{communes} communes: the 23 real ones and {synthetic} synthetic ones around them (codes ZS001 to ZS{last:03d}, named &quot;Commune fictive&quot;)</source>
        <translation>{communes} communes : les 23 réelles et {synthetic} communes fictives autour (codes ZS001 à ZS{last:03d}, nommées « Commune fictive »)</translation>
    </message>
    <message>
        <source>note: start the recorder and the consoles with VIGIE_SYNTHETIC_COMMUNES=1 in their environment, or they file the synthetic communes&apos; devices under the nearest real commune, outside the métropole</source>
        <translation>remarque : lancez l&apos;enregistreur et les consoles avec VIGIE_SYNTHETIC_COMMUNES=1 dans leur environnement, sinon ils classent les équipements des communes fictives dans la commune réelle la plus proche, hors de la métropole</translation>
    </message>
    <message>
        <source>serving the cameras&apos; streams on {url} (tokens signed with the secrets of {file})</source>
        <translation>flux des caméras diffusés sur {url} (jetons signés avec les secrets de {file})</translation>
    </message>
    <message>
        <source>failure modes: {modes}</source>
        <translation>défaillances : {modes}</translation>
    </message>
    <message>
        <source>logged in as {logins} identities ({gateways} gateways, {units} units, citizen-app, alarms) in {seconds} s</source>
        <translation>connecté sous {logins} identités ({gateways} passerelles, {units} unités, citizen-app, alarms) en {seconds} s</translation>
    </message>
    <message>
        <source>warning: {count} devices have no gateway (road-weather stations, salt depots, counting loops): no identity of the bus may publish their state, so it is not published</source>
        <translation>attention : {count} équipements n’ont pas de passerelle (stations météo routière, dépôts de sel, boucles de comptage) : aucune identité du bus ne peut publier leur état, il n’est donc pas publié</translation>
    </message>
    <message>
        <source>initial state published: {count} messages in {seconds} s; answering commands until Ctrl+C or SIGTERM</source>
        <translation>état initial publié : {count} messages en {seconds} s ; réponse aux commandes jusqu&apos;à Ctrl+C ou SIGTERM</translation>
    </message>
    <message>
        <source>cannot serve the cameras&apos; streams on port {port}: {reason}; nothing was simulated</source>
        <translation>impossible de diffuser les flux des caméras sur le port {port} : {reason} ; rien n&apos;a été simulé</translation>
    </message>
    <message>
        <source>cannot reach the broker {url}: {reason}; nothing was simulated</source>
        <translation>broker {url} injoignable : {reason} ; rien n&apos;a été simulé</translation>
    </message>
    <message>
        <source>stopped on {signal}: gateways announced offline, {count} messages published</source>
        <translation>arrêt sur {signal} : passerelles annoncées hors ligne, {count} messages publiés</translation>
    </message>
    <message>
        <source>open the operator&apos;s console</source>
        <translation>ouvrir la console de l&apos;opérateur</translation>
    </message>
    <message>
        <source>The control room&apos;s desktop application, as the operator in effect.</source>
        <translation>L&apos;application de bureau du poste de commandement, au nom de l&apos;opérateur en vigueur.</translation>
    </message>
    <message>
        <source>switch the snow plan&apos;s level or the traffic mode</source>
        <translation>basculer le niveau du plan neige ou le mode de circulation</translation>
    </message>
    <message>
        <source>Switch the city&apos;s snow level (0-3 or watch, alert, intervention, crisis) or traffic mode (normal, peak, event, incident, snow) as the playbook says: a preview, your yes, the commands, their acks. Exit 1 when partly applied or when someone else is switching.</source>
        <translation>Bascule le niveau du plan neige (0-3 ou watch, alert, intervention, crisis) ou le mode de circulation (normal, peak, event, incident, snow) comme le dit le plan d&apos;action : un aperçu, votre accord, les commandes, leurs acquittements. Sortie 1 si le basculement n&apos;est que partiel ou si quelqu&apos;un d&apos;autre est en train de basculer.</translation>
    </message>
    <message>
        <source>the level: 0-3, watch, alert, intervention or crisis</source>
        <translation>le niveau : 0-3, watch, alert, intervention ou crisis</translation>
    </message>
    <message>
        <source>the mode: normal, peak, event, incident or snow</source>
        <translation>le mode : normal, peak, event, incident ou snow</translation>
    </message>
    <message>
        <source>switch the {kind}</source>
        <translation>basculer : {kind}</translation>
    </message>
    <message>
        <source>go back to the level or mode before the last switch</source>
        <translation>revenir au niveau ou au mode d&apos;avant le dernier basculement</translation>
    </message>
    <message>
        <source>the level and mode in force</source>
        <translation>le niveau et le mode en vigueur</translation>
    </message>
    <message>
        <source>why (required to apply)</source>
        <translation>pourquoi (obligatoire pour appliquer)</translation>
    </message>
    <message>
        <source>the weather or event behind it, e.g. &apos;Météo-France orange snow&apos;</source>
        <translation>la météo ou l&apos;événement qui le motive, p. ex. « vigilance orange neige Météo-France »</translation>
    </message>
    <message>
        <source>say what would change; send nothing</source>
        <translation>dire ce qui changerait ; ne rien envoyer</translation>
    </message>
    <message>
        <source>a switch needs its reason: add --reason TEXT</source>
        <translation>un basculement demande son motif : ajoutez --reason TEXTE</translation>
    </message>
    <message>
        <source>show who may do what (the permission matrix)</source>
        <translation>afficher qui peut faire quoi (la matrice des permissions)</translation>
    </message>
    <message>
        <source>The matrix is a data file a city edits; the bundled one is the default (docs/security.md).</source>
        <translation>La matrice est un fichier de données que la ville modifie ; celle fournie est la matrice par défaut (docs/security.md).</translation>
    </message>
    <message>
        <source>print each act and the roles allowed it</source>
        <translation>afficher chaque acte et les rôles qui y sont autorisés</translation>
    </message>
    <message>
        <source>a permissions.toml to show instead of the matrix in force</source>
        <translation>un permissions.toml à montrer au lieu de la matrice en vigueur</translation>
    </message>
    <message>
        <source>put a permissions.toml in force for every workstation (admins)</source>
        <translation>mettre un permissions.toml en vigueur sur tous les postes (admins)</translation>
    </message>
    <message>
        <source>the city&apos;s permissions.toml</source>
        <translation>le permissions.toml de la ville</translation>
    </message>
    <message>
        <source>put {file} in force for every workstation ({changes} change(s))?</source>
        <translation>mettre {file} en vigueur sur tous les postes ({changes} changement(s)) ?</translation>
    </message>
    <message>
        <source>permission matrix {file} in force: {count} permission(s)</source>
        <translation>matrice des droits {file} en vigueur : {count} droit(s)</translation>
    </message>
    <message>
        <source>act</source>
        <translation>acte</translation>
    </message>
    <message>
        <source>write the broker&apos;s configuration (who may publish what)</source>
        <translation>écrire la configuration du broker (qui peut publier quoi)</translation>
    </message>
    <message>
        <source>write mosquitto.conf, its password file, ACL and credentials</source>
        <translation>écrire mosquitto.conf, son fichier de mots de passe, son ACL et les identifiants</translation>
    </message>
    <message>
        <source>One identity per gateway and unit of the register, per recorder and per console workstation, plus the citizen app and the alarms; each may publish and subscribe only what docs/security.md says. Passwords are written once, in credentials/.</source>
        <translation>Une identité par passerelle et par unité du registre, par enregistreur et par poste de console, plus l&apos;application citoyenne et les alarmes ; chacune ne peut publier et s&apos;abonner qu&apos;à ce que dit docs/security.md. Les mots de passe sont écrits une fois, dans credentials/.</translation>
    </message>
    <message>
        <source>the console workstations&apos; names</source>
        <translation>les noms des postes de console</translation>
    </message>
    <message>
        <source>the recorders&apos; ids (default: main)</source>
        <translation>les identifiants des enregistreurs (par défaut : main)</translation>
    </message>
    <message>
        <source>--tls-cert and --tls-key go together</source>
        <translation>--tls-cert et --tls-key vont ensemble</translation>
    </message>
    <message>
        <source>{count} identities written to {folder}: mosquitto.conf, passwd, acl, credentials/ (each password once, mode 600)</source>
        <translation>{count} identités écrites dans {folder} : mosquitto.conf, passwd, acl, credentials/ (chaque mot de passe une fois, mode 600)</translation>
    </message>
    <message>
        <source>No TLS given: the broker listens on this machine only.</source>
        <translation>Pas de TLS : le broker n&apos;écoute que sur cette machine.</translation>
    </message>
    <message>
        <source>no password on standard input</source>
        <translation>aucun mot de passe sur l&apos;entrée standard</translation>
    </message>
    <message>
        <source>a new password is asked on a terminal; in a script, give it on standard input with --password-stdin</source>
        <translation>un nouveau mot de passe se demande au terminal ; dans un script, donnez-le sur l&apos;entrée standard avec --password-stdin</translation>
    </message>
    <message>
        <source>new password for {name}: </source>
        <translation>nouveau mot de passe de {name} : </translation>
    </message>
    <message>
        <source>the same password again: </source>
        <translation>le même mot de passe à nouveau : </translation>
    </message>
    <message>
        <source>the two passwords differ; nothing was changed</source>
        <translation>les deux mots de passe diffèrent ; rien n&apos;a été changé</translation>
    </message>
    <message>
        <source>list, approve or refuse acts awaiting a second operator</source>
        <translation>lister, approuver ou refuser les actes en attente d’un second opérateur</translation>
    </message>
    <message>
        <source>High-impact acts (the city&apos;s approval rules) wait for a different operator allowed to approve them, within a time limit, or expire.</source>
        <translation>Les actes à fort impact (les règles d’approbation de la ville) attendent qu’un autre opérateur autorisé les approuve dans le délai, sinon ils expirent.</translation>
    </message>
    <message>
        <source>list the requests</source>
        <translation>lister les demandes</translation>
    </message>
    <message>
        <source>approve a request: it goes out now</source>
        <translation>approuver une demande : elle part aussitôt</translation>
    </message>
    <message>
        <source>the request&apos;s id</source>
        <translation>l’identifiant de la demande</translation>
    </message>
    <message>
        <source>refuse a request: nothing is sent</source>
        <translation>refuser une demande : rien n’est envoyé</translation>
    </message>
    <message>
        <source>why it is refused</source>
        <translation>pourquoi elle est refusée</translation>
    </message>
    <message>
        <source>awaiting approval {id}: nothing is sent until another operator runs &apos;vigie approvals approve {id}&apos; before {until}</source>
        <translation>en attente d’approbation {id} : rien n’est envoyé tant qu’un autre opérateur n’a pas lancé « vigie approvals approve {id} » avant {until}</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>status</source>
        <translation>statut</translation>
    </message>
    <message>
        <source>requested by</source>
        <translation>demandé par</translation>
    </message>
    <message>
        <source>until</source>
        <translation>jusqu’à</translation>
    </message>
    <message>
        <source>request</source>
        <translation>demande</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>motif</translation>
    </message>
    <message>
        <source>approve the request of {by} ({reason})?</source>
        <translation>approuver la demande de {by} ({reason}) ?</translation>
    </message>
    <message>
        <source>approved {id}: done</source>
        <translation>{id} approuvée : fait</translation>
    </message>
    <message>
        <source>(!) differs from what was recorded: {said}</source>
        <translation>(!) diffère de ce qui a été enregistré : {said}</translation>
    </message>
    <message>
        <source>this request cannot be read again: {why}</source>
        <translation>cette demande ne peut pas être relue : {why}</translation>
    </message>
    <message>
        <source>its requester&apos;s console recorded another text:</source>
        <translation>la console du demandeur a enregistré un autre texte :</translation>
    </message>
    <message>
        <source>refused with --yes: the request&apos;s recorded text differs from what approving it does now; read both and approve at a terminal</source>
        <translation>refusé avec --yes : le texte enregistré de la demande diffère de ce que son approbation fait maintenant ; lisez les deux et approuvez depuis un terminal</translation>
    </message>
    <message>
        <source>refused {id}: nothing was sent</source>
        <translation>{id} refusée : rien n’a été envoyé</translation>
    </message>
    <message>
        <source>the snow plan&apos;s and traffic modes&apos; playbook the database holds</source>
        <translation>le plan d&apos;action des niveaux du plan neige et des modes de circulation que la base de données détient</translation>
    </message>
    <message>
        <source>put the city&apos;s playbook in force in the database (admins)</source>
        <translation>mettre en vigueur dans la base de données le plan d&apos;action de la ville (administrateurs)</translation>
    </message>
    <message>
        <source>Reads the playbook whole (refused, naming the entry, if anything in it is wrong) and replaces the commands the database holds. On PostgreSQL a mode switch may send only the commands of the entry it switches to.</source>
        <translation>Lit le plan d&apos;action en entier (refusé, en nommant l&apos;entrée, si quoi que ce soit y est faux) et remplace les commandes que la base de données détient. Sur PostgreSQL, un changement de mode ne peut envoyer que les commandes de l&apos;entrée vers laquelle il bascule.</translation>
    </message>
    <message>
        <source>the playbook (default: the playbook setting, else the bundled one)</source>
        <translation>le plan d&apos;action (par défaut : le réglage playbook, sinon celui fourni)</translation>
    </message>
    <message>
        <source>put the playbook {file} in force for every workstation?</source>
        <translation>mettre le plan d&apos;action {file} en vigueur pour tous les postes ?</translation>
    </message>
    <message>
        <source>playbook {file} in force: {count} command(s) in its entries</source>
        <translation>plan d&apos;action {file} en vigueur : {count} commande(s) dans ses entrées</translation>
    </message>
    <message>
        <source>The console cannot start: system libraries are missing ({libraries}).
Install them, then run &apos;make demo&apos; again:
  sudo apt-get install {packages}</source>
        <extracomment>The exit status when something is missing: ``ExitStatus.FAILED``&apos;s (console.cli.context, a layer above this one), as the console could not start. What Qt&apos;s GUI and its web engine (the map) load: soname -&gt; Debian package. What Qt Multimedia (PySide6&apos;s FFmpeg backend) loads: the video wall plays the cameras with it. What Qt&apos;s xcb platform plugin (an X11 desktop) loads besides.</extracomment>
        <translation>La console ne peut pas démarrer : des bibliothèques système manquent ({libraries}).
Installez-les, puis relancez « make demo » :
  sudo apt-get install {packages}</translation>
    </message>
    <message>
        <source>the cameras&apos; stream secrets</source>
        <translation>les secrets de flux des caméras</translation>
    </message>
    <message>
        <source>A camera&apos;s stream opens only with a token the database mints when a view opens, signed with its gateway&apos;s secret (docs/video.md).</source>
        <translation>Le flux d’une caméra ne s’ouvre qu’avec un jeton que la base émet à l’ouverture d’un visionnage, signé avec le secret de sa passerelle (docs/video.md).</translation>
    </message>
    <message>
        <source>the gateways&apos; stream secrets</source>
        <translation>les secrets de flux des passerelles</translation>
    </message>
    <message>
        <source>put the gateways&apos; stream secrets of FILE in force (admins)</source>
        <translation>mettre en vigueur les secrets de flux des passerelles de FILE (administrateurs)</translation>
    </message>
    <message>
        <source>Load a JSON object of gateway id to base64 secret (the simulator&apos;s video-secrets.json) into the database: each replaces the gateway&apos;s secret before; gateways the file does not name keep theirs. Audited, without the secrets.</source>
        <translation>Charger dans la base un objet JSON associant à chaque passerelle son secret en base64 (le video-secrets.json du simulateur) : chacun remplace le secret précédent de sa passerelle ; les passerelles que le fichier ne nomme pas gardent le leur. Journalisé, sans les secrets.</translation>
    </message>
    <message>
        <source>the secrets file</source>
        <translation>le fichier des secrets</translation>
    </message>
    <message>
        <source>warning: others may read {file}, and whoever reads it can open every camera: make it 600 with &apos;chmod 600 {file}&apos;</source>
        <translation>attention : d’autres peuvent lire {file}, et qui le lit peut ouvrir toutes les caméras : passez-le en 600 avec &apos;chmod 600 {file}&apos;</translation>
    </message>
    <message>
        <source>stream secrets of {count} gateway(s) in force, from {file}</source>
        <translation>secrets de flux de {count} passerelle(s) en vigueur, depuis {file}</translation>
    </message>
    <message>
        <source>street lighting&apos;s kWh per commune and night, against full power</source>
        <translation>les kWh de l’éclairage public par commune et par nuit, face à la pleine puissance</translation>
    </message>
    <message>
        <source>Street lighting&apos;s energy per commune and night, as the recorder sums the cabinets&apos; meter readings: kWh used, the same lights at full power for the same hours of night, and the saving in kWh, in euros at the city&apos;s tariff and in kg of CO2 at its factor (the lighting policy&apos;s). A night runs from noon to noon and is named by its evening.</source>
        <translation>L’énergie de l’éclairage public par commune et par nuit, telle que l’enregistreur additionne les relevés des compteurs des armoires : les kWh consommés, les mêmes lampes à pleine puissance pendant les mêmes heures de nuit, et l’économie en kWh, en euros au tarif de la ville et en kg de CO2 à son facteur (ceux de la politique d’éclairage). Une nuit va de midi à midi et porte la date de son soir.</translation>
    </message>
    <message>
        <source>from the night of TIME: a date (that evening&apos;s night), 2026-12-04T18:00 (the room&apos;s time unless a zone is given), or a span back from now such as 12h or 7d (default: the last {nights} nights and the one in progress)</source>
        <translation>à partir de la nuit de TIME : une date (la nuit de ce soir-là), 2026-12-04T18:00 (l’heure de la salle sauf fuseau indiqué), ou une durée avant maintenant comme 12h ou 7d (par défaut : les {nights} dernières nuits et celle en cours)</translation>
    </message>
    <message>
        <source>only this commune (its INSEE code)</source>
        <translation>seulement cette commune (son code INSEE)</translation>
    </message>
    <message>
        <source>--commune {insee}: no commune of the métropole has this code</source>
        <translation>--commune {insee} : aucune commune de la métropole n’a ce code</translation>
    </message>
    <message>
        <source>no street lighting energy recorded from the night of {since}</source>
        <translation>aucune énergie d’éclairage public enregistrée depuis la nuit du {since}</translation>
    </message>
    <message>
        <source>night</source>
        <translation>nuit</translation>
    </message>
    <message>
        <source>commune</source>
        <translation>commune</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <source>full power kWh</source>
        <translation>kWh pleine puissance</translation>
    </message>
    <message>
        <source>saving kWh</source>
        <translation>économie kWh</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>économie</translation>
    </message>
    <message>
        <source>saving €</source>
        <translation>économie €</translation>
    </message>
    <message>
        <source>saving kg CO2</source>
        <translation>économie kg CO2</translation>
    </message>
    <message>
        <source>{nights} nights from {since}: {kwh} kWh against {baseline} kWh at full power, a saving of {saving} kWh ({share}), {euros} € at {tariff} €/kWh and {co2} kg of CO2 at {factor} kg/kWh</source>
        <translation>{nights} nuits depuis le {since} : {kwh} kWh contre {baseline} kWh à pleine puissance, une économie de {saving} kWh ({share}), {euros} € à {tariff} €/kWh et {co2} kg de CO2 à {factor} kg/kWh</translation>
    </message>
    <message>
        <source>preview, apply and follow the city&apos;s street-lighting policy</source>
        <translation>prévisualiser, appliquer et suivre la politique d&apos;éclairage public de la ville</translation>
    </message>
    <message>
        <source>The lighting policy (the &apos;lighting&apos; setting, the bundled Dijon one by default) pushed to each StreetlightGroup&apos;s cabinet as a dimming profile, which the cabinet then runs by itself with its astronomical clock. Exit 1 when some cabinets did not take it, 3 when it awaits a second operator&apos;s approval or answers are missing.</source>
        <translation>La politique d&apos;éclairage (le réglage « lighting », celle de Dijon fournie par défaut) envoyée à l&apos;armoire de chaque groupe d&apos;éclairage comme profil de gradation, que l&apos;armoire exécute ensuite seule avec son horloge astronomique. Sortie 1 quand des armoires ne l&apos;ont pas prise, 3 quand elle attend l&apos;approbation d&apos;un second opérateur ou que des réponses manquent.</translation>
    </message>
    <message>
        <source>groups, lights, profile per group, projected energy; sends nothing</source>
        <translation>groupes, luminaires, profil par groupe, énergie prévue ; n&apos;envoie rien</translation>
    </message>
    <message>
        <source>push the policy&apos;s profiles to the cabinets</source>
        <translation>envoyer les profils de la politique aux armoires</translation>
    </message>
    <message>
        <source>why (required)</source>
        <translation>pourquoi (obligatoire)</translation>
    </message>
    <message>
        <source>the profile each group reports in force, against the policy</source>
        <translation>le profil que chaque groupe déclare en vigueur, comparé à la politique</translation>
    </message>
    <message>
        <source>applying a policy needs its reason: add --reason TEXT</source>
        <translation>appliquer une politique demande un motif : ajoutez --reason TEXTE</translation>
    </message>
    <message>
        <source>hand a shift over, read a handover, accept it</source>
        <translation>faire une passation de service, lire une passation, l&apos;accepter</translation>
    </message>
    <message>
        <source>A shift handover: what the next shift must know (open incidents, units out, modes, faults, commands, approvals, camera views, the shift&apos;s logbook) and the outgoing operator&apos;s remarks; another operator accepts it. Both acts are audited.</source>
        <translation>Une passation de service : ce que l&apos;équipe suivante doit savoir (incidents ouverts, unités engagées, modes, pannes, commandes, approbations, visionnages de caméras, main courante du service) et les remarques de l&apos;opérateur sortant ; un autre opérateur l&apos;accepte. Les deux actes sont audités.</translation>
    </message>
    <message>
        <source>hand your shift over: shows the summary, asks, records it</source>
        <translation>faire votre passation : affiche le résumé, demande confirmation, l&apos;enregistre</translation>
    </message>
    <message>
        <source>your remarks for the next shift</source>
        <translation>vos remarques pour l&apos;équipe suivante</translation>
    </message>
    <message>
        <source>show a handover&apos;s summary (default: the newest not accepted)</source>
        <translation>afficher le résumé d&apos;une passation (par défaut : la plus récente non acceptée)</translation>
    </message>
    <message>
        <source>the handover&apos;s id</source>
        <translation>l&apos;identifiant de la passation</translation>
    </message>
    <message>
        <source>accept another operator&apos;s handover</source>
        <translation>accepter la passation d&apos;un autre opérateur</translation>
    </message>
    <message>
        <source>Hand the shift over with this summary?</source>
        <translation>Faire la passation avec ce résumé ?</translation>
    </message>
    <message>
        <source>handover {id} recorded at {at} by {operator}</source>
        <translation>passation {id} enregistrée le {at} par {operator}</translation>
    </message>
    <message>
        <source>Accept handover {id} from {author}?</source>
        <translation>Accepter la passation {id} de {author} ?</translation>
    </message>
    <message>
        <source>handover {id} accepted at {at} by {operator}</source>
        <translation>passation {id} acceptée le {at} par {operator}</translation>
    </message>
    <message>
        <source>produce the room&apos;s reports (supervisors, auditors)</source>
        <translation>produire les rapports de la salle (superviseurs, auditeurs)</translation>
    </message>
    <message>
        <source>The room&apos;s reports, as PDF files for the people the room answers to. Each one produced is an audited act.</source>
        <translation>Les rapports de la salle, en PDF, pour ceux à qui la salle rend compte. Chacun est un acte audité.</translation>
    </message>
    <message>
        <source>a day&apos;s report (main courante) as an A4 PDF</source>
        <translation>le rapport d&apos;une journée (main courante), en PDF A4</translation>
    </message>
    <message>
        <source>The day at a glance on page 1, then the detail: incidents by category, commune and priority, targets kept, times to acknowledge and resolve, hotline calls, modes switched, commands, lights in fault, snow operations and camera views by purpose. In the operator&apos;s language; needs no display (cron).</source>
        <translation>La journée en bref en page 1, puis le détail : incidents par catégorie, commune et priorité, délais tenus, délais de prise en compte et de résolution, appels à la ligne citoyenne, changements de mode, commandes, points lumineux en panne, viabilité hivernale et visionnages de caméras par finalité. Dans la langue de l&apos;opérateur ; sans écran (cron).</translation>
    </message>
    <message>
        <source>the day, YYYY-MM-DD, in the room&apos;s time zone (default: yesterday)</source>
        <translation>le jour, AAAA-MM-JJ, dans le fuseau de la salle (par défaut : hier)</translation>
    </message>
    <message>
        <source>where to write the PDF (replaced if it exists)</source>
        <translation>où écrire le PDF (remplacé s&apos;il existe)</translation>
    </message>
    <message>
        <source>{day} has not begun yet in the room: no report of it</source>
        <translation>{day} n&apos;a pas encore commencé dans la salle : pas de rapport</translation>
    </message>
    <message>
        <source>--out {file} is a folder: name the report&apos;s file in it</source>
        <translation>--out {file} est un dossier : nommez le fichier du rapport dans ce dossier</translation>
    </message>
    <message>
        <source>no folder {folder} to write the report in</source>
        <translation>pas de dossier {folder} où écrire le rapport</translation>
    </message>
    <message>
        <source>the report could not be written to {file}: {why}</source>
        <translation>le rapport n&apos;a pas pu être écrit dans {file} : {why}</translation>
    </message>
    <message>
        <source>daily report of {day} written to {file}: {pages} page(s), {incidents} incident(s)</source>
        <translation>rapport journalier du {day} écrit dans {file} : {pages} page(s), {incidents} incident(s)</translation>
    </message>
</context>
<context>
    <name>console</name>
    <message>
        <source>Dispatcher</source>
        <extracomment>The perspectives, in the View menu&apos;s order, and their titles (translated where shown).</extracomment>
        <translation>Opérateur de dispatch</translation>
    </message>
    <message>
        <source>Snow coordinator</source>
        <translation>Coordinateur plan neige</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Technicien</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>Video room</source>
        <translation>Salle vidéo</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Incident</translation>
    </message>
    <message>
        <source>Logbook</source>
        <translation>Main courante</translation>
    </message>
    <message>
        <source>Commands</source>
        <extracomment>How often a command&apos;s answers are looked at while its dialog follows it.</extracomment>
        <translation>Commandes</translation>
    </message>
    <message>
        <source>Dark grey (dimmed room)</source>
        <translation>Gris foncé (salle tamisée)</translation>
    </message>
    <message>
        <source>Light grey (lit room)</source>
        <translation>Gris clair (salle éclairée)</translation>
    </message>
    <message>
        <source>The system&apos;s language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Mute the P1 sound</source>
        <translation>Couper le son des P1</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>Équipements</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>Pannes</translation>
    </message>
    <message>
        <source>Telemetry</source>
        <translation>Télémesures</translation>
    </message>
    <message>
        <source>Modes</source>
        <translation>Modes</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>{count} commands</source>
        <translation>{count} commandes</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Renvoyer</translation>
    </message>
    <message>
        <source>Send again: {plan}?</source>
        <translation>Renvoyer : {plan} ?</translation>
    </message>
    <message>
        <source>no patrol for {minutes} min</source>
        <translation>aucune patrouille depuis {minutes} min</translation>
    </message>
    <message>
        <source>Snow plan: {snow}  Traffic: {traffic}</source>
        <translation>Plan neige : {snow}  Circulation : {traffic}</translation>
    </message>
    <message>
        <source>(switching…)</source>
        <translation>(bascule en cours…)</translation>
    </message>
    <message>
        <source>No available unit with a known position.</source>
        <translation>Aucune unité disponible dont la position est connue.</translation>
    </message>
    <message>
        <source> — busy with incident #{other}: re-task</source>
        <translation> — engagée sur l&apos;incident n° {other} : réaffecter</translation>
    </message>
    <message>
        <source>Re-task {name} to incident #{id}? It leaves incident #{other}, which goes back to waiting for a unit, with a note saying why.</source>
        <translation>Réaffecter {name} à l&apos;incident n° {id} ? Elle quitte l&apos;incident n° {other}, qui attend de nouveau une unité, avec une note qui dit pourquoi.</translation>
    </message>
    <message>
        <source>{name} ({kind}): {km} km, on site</source>
        <extracomment>How soon a unit is there, in words: never &quot;about 0 min&quot; for a unit already at the incident.</extracomment>
        <translation>{name} ({kind}) : {km} km, sur place</translation>
    </message>
    <message>
        <source>{name} ({kind}): {km} km, under 1 min</source>
        <translation>{name} ({kind}) : {km} km, moins d&apos;1 min</translation>
    </message>
    <message>
        <source>{name} ({kind}): {km} km, about {minutes} min</source>
        <translation>{name} ({kind}) : {km} km, environ {minutes} min</translation>
    </message>
    <message>
        <source> — not the usual kind</source>
        <translation> — pas le type habituel</translation>
    </message>
    <message>
        <source>Send a unit to incident #{id}: the usual kind first, then the nearest:</source>
        <translation>Engager une unité sur l&apos;incident n° {id} : le type habituel d&apos;abord, puis la plus proche :</translation>
    </message>
    <message>
        <source>{unit} was free by then: sent to incident #{id}.</source>
        <translation>{unit} était libre entre-temps : engagée sur l&apos;incident n° {id}.</translation>
    </message>
    <message>
        <source>{unit} re-tasked to incident #{id}; incident #{other} waits for another unit (see its notes).</source>
        <translation>{unit} réaffectée à l&apos;incident n° {id} ; l&apos;incident n° {other} attend une autre unité (voir ses notes).</translation>
    </message>
    <message>
        <source>Incident #{id}: {unit} refused the dispatch or did not answer; the incident waits for another unit (see its notes).</source>
        <translation>Incident n° {id} : {unit} a refusé l&apos;engagement ou n&apos;a pas répondu ; l&apos;incident attend une autre unité (voir ses notes).</translation>
    </message>
    <message>
        <source>Fetching the photo at {url}…</source>
        <translation>Récupération de la photo à {url}…</translation>
    </message>
    <message>
        <source>The photo is not an image.</source>
        <translation>La photo n&apos;est pas une image.</translation>
    </message>
    <message>
        <source>The language will change at the next start.</source>
        <translation>La langue changera au prochain démarrage.</translation>
    </message>
    <message>
        <source>{command} {params} on the {count} selected {type} (one command each), in {places}</source>
        <translation>{command} {params} sur les {count} {type} sélectionnés (une commande chacun), à {places}</translation>
    </message>
    <message>
        <source>Awaiting approval: nothing is sent until another operator allowed to approve approves it before {until} (request {id}).</source>
        <translation>En attente d’approbation : rien n’est envoyé tant qu’un autre opérateur habilité ne l’a pas approuvée avant {until} (demande {id}).</translation>
    </message>
    <message>
        <source>Single workstation: permissions are checked by Vigie, not by a database</source>
        <translation>Poste unique : les droits sont vérifiés par Vigie, pas par une base de données</translation>
    </message>
    <message>
        <source>Approvals</source>
        <extracomment>How often the list is read again (requests come from other workstations and the shell). How often a lighting policy&apos;s acks are looked at (in the sender&apos;s memory: no waiting). How long a lighting request&apos;s rebuilt preview is shown before it is rebuilt (seconds).</extracomment>
        <translation>Approbations</translation>
    </message>
    <message>
        <source>its payload is not one Vigie records</source>
        <translation>son contenu n&apos;est pas de ceux que Vigie enregistre</translation>
    </message>
    <message>
        <source>Approved: {count} command(s) sent for {who}</source>
        <translation>Approuvé : {count} commande(s) envoyée(s) pour {who}</translation>
    </message>
    <message>
        <source>Approved: done for {who}</source>
        <translation>Approuvé : fait pour {who}</translation>
    </message>
    <message>
        <source>Approved: the lighting policy goes to {groups} groups for {who}</source>
        <translation>Approuvé : la politique d&apos;éclairage part vers {groups} groupes pour {who}</translation>
    </message>
    <message>
        <source>Refused: nothing was sent</source>
        <translation>Refusé : rien n’a été envoyé</translation>
    </message>
    <message>
        <source>Open the cameras of a building&apos;s alarm</source>
        <extracomment>How long a console leaving waits for its camera views to be closed on the record.</extracomment>
        <translation>Ouvrir les caméras d&apos;une alarme de bâtiment</translation>
    </message>
    <message>
        <source>Video wall</source>
        <extracomment>&quot;Cameras nearby&quot; (issue 18): within this distance of the incident. When fewer are that near, the nearest within this distance complete the list (said so). How often a preset command&apos;s answer is looked at (the sender keeps acks in memory). How often the cameras on tiles are read: their preset and masks, within a second.</extracomment>
        <translation>Mur vidéo</translation>
    </message>
    <message>
        <source>No such camera in the equipment read.</source>
        <extracomment>Cameras this console turned to a preset, until their state says they point there.</extracomment>
        <translation>Aucune caméra de ce nom dans les équipements lus.</translation>
    </message>
    <message>
        <source>{count} camera(s) not opened: no free tile.</source>
        <translation>{count} caméra(s) non ouverte(s) : aucune tuile libre.</translation>
    </message>
    <message>
        <source>{camera} serves no stream.</source>
        <translation>{camera} ne sert aucun flux.</translation>
    </message>
    <message>
        <source>{camera}: the view reached its limit and closed.</source>
        <translation>{camera} : le visionnage a atteint sa limite et s&apos;est fermé.</translation>
    </message>
    <message>
        <source>The link to the broker was lost: the camera views were closed. Open them again.</source>
        <translation>Le lien avec le courtier a été perdu : les visionnages de caméras ont été fermés. Ouvrez-les à nouveau.</translation>
    </message>
    <message>
        <source>Preset {number}</source>
        <translation>Position {number}</translation>
    </message>
    <message>
        <source>No snapshot: the camera does not confirm the privacy masks of its preset.</source>
        <translation>Pas de capture : la caméra ne confirme pas les masques de vie privée de sa position.</translation>
    </message>
    <message>
        <source>Snapshot of {camera} saved as {file}, kept 30 days.</source>
        <translation>Capture de {camera} enregistrée sous {file}, conservée 30 jours.</translation>
    </message>
    <message>
        <source>Energy</source>
        <extracomment>While the dock is shown, the nights are read again this often (the night in progress grows). A dock shown again within this many seconds of the last reading is not read again. The policy&apos;s projection (over every light) is kept this long for the same policy and night. How often an apply&apos;s answers are looked at while its dialog follows it. How long an apply waits for the console&apos;s link to the broker before saying it is down.</extracomment>
        <translation>Énergie</translation>
    </message>
    <message>
        <source>The lighting policy could not be read: {why}</source>
        <translation>La politique d’éclairage n’a pas pu être lue : {why}</translation>
    </message>
    <message>
        <source>Daily report…</source>
        <translation>Rapport journalier…</translation>
    </message>
    <message>
        <source>Daily report</source>
        <translation>Rapport journalier</translation>
    </message>
    <message>
        <source>Day (room time):</source>
        <translation>Jour (heure de la salle) :</translation>
    </message>
    <message>
        <source>Save the daily report</source>
        <translation>Enregistrer le rapport journalier</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>Documents PDF (*.pdf)</translation>
    </message>
    <message>
        <source>daily-report-{day}.pdf</source>
        <translation>rapport-journalier-{day}.pdf</translation>
    </message>
    <message>
        <source>Daily report of {day}: reading the record…</source>
        <translation>Rapport journalier du {day} : lecture du registre…</translation>
    </message>
    <message>
        <source>The daily report could not be written to {file}: {why}</source>
        <translation>Le rapport journalier n&apos;a pas pu être écrit dans {file} : {why}</translation>
    </message>
    <message>
        <source>Daily report of {day} written to {file} ({pages} pages)</source>
        <translation>Rapport journalier du {day} écrit dans {file} ({pages} pages)</translation>
    </message>
    <message>
        <source>Statistics</source>
        <extracomment>While the dock is shown, the figures are read again this often. A dock shown again within this many seconds of the last reading is not read again. At most this many incidents go to the queue for one bar (the newest): a month of one category over the whole city would be tens of thousands of rows nobody reads one by one.</extracomment>
        <translation>Statistiques</translation>
    </message>
    <message>
        <source>the newest %1 of %2</source>
        <translation>les %1 plus récents sur %2</translation>
    </message>
    <message>
        <source>Statistics: %1 (%2)</source>
        <translation>Statistiques : %1 (%2)</translation>
    </message>
</context>
<context>
    <name>energy</name>
    <message>
        <source>%1%</source>
        <translation>%1&#x202f;%</translation>
    </message>
    <message>
        <source>%1 €</source>
        <translation>%1&#xa0;€</translation>
    </message>
    <message>
        <source>%1 t</source>
        <translation>%1&#xa0;t</translation>
    </message>
    <message>
        <source>%1 kg</source>
        <translation>%1&#xa0;kg</translation>
    </message>
</context>
<context>
    <name>handover</name>
    <message>
        <source>Hand over…</source>
        <extracomment>How often the handovers waiting are read again (other workstations and the shell start them).</extracomment>
        <translation>Passation…</translation>
    </message>
    <message>
        <source>Handover from {name} at {time} not accepted</source>
        <translation>Passation de {name} à {time} non acceptée</translation>
    </message>
    <message>
        <source>{name} ({role}) handed over at {time}</source>
        <translation>{name} ({role}) a fait sa passation à {time}</translation>
    </message>
    <message>
        <source>Click to read it and accept it.</source>
        <translation>Cliquez pour la lire et l&apos;accepter.</translation>
    </message>
    <message>
        <source>{named} (and {count} more)</source>
        <translation>{named} (+ {count} en attente)</translation>
    </message>
    <message>
        <source>Click to choose which one to read and accept.</source>
        <translation>Cliquez pour choisir laquelle lire et accepter.</translation>
    </message>
    <message>
        <source>What you hand over to the next shift</source>
        <translation>Ce que vous transmettez à l&apos;équipe suivante</translation>
    </message>
    <message>
        <source>What you hand over: your shift since {since}</source>
        <translation>Ce que vous transmettez : votre service depuis {since}</translation>
    </message>
    <message>
        <source>Handed over at {time}. Every console shows it until another operator, logged in as themselves, accepts it.</source>
        <translation>Passation enregistrée à {time}. Chaque console l&apos;affiche jusqu&apos;à ce qu&apos;un autre opérateur, connecté sous son propre nom, l&apos;accepte.</translation>
    </message>
    <message>
        <source>Handed over at {time}</source>
        <translation>Passation enregistrée à {time}</translation>
    </message>
    <message>
        <source>The newest {listed} of the {total} waiting are listed.</source>
        <translation>Les {listed} plus récentes des {total} en attente sont listées.</translation>
    </message>
    <message>
        <source>Handover from {name} ({role}) at {time}: the shift since {since}</source>
        <translation>Passation de {name} ({role}) à {time} : le service depuis {since}</translation>
    </message>
    <message>
        <source>Accepted by {name} at {time}.</source>
        <translation>Acceptée par {name} à {time}.</translation>
    </message>
    <message>
        <source>Your handover: waiting for the next operator, logged in as themselves, to accept it.</source>
        <translation>Votre passation : en attente d&apos;acceptation par l&apos;opérateur suivant, connecté sous son propre nom.</translation>
    </message>
    <message>
        <source>Accepted at {time}: the shift is yours.</source>
        <translation>Acceptée à {time} : vous prenez le service.</translation>
    </message>
    <message>
        <source>Handover from {name} accepted</source>
        <translation>Passation de {name} acceptée</translation>
    </message>
    <message>
        <source>Handing over as {author} ({role}), not recorded yet</source>
        <extracomment>Up to this many street lights in fault are listed one by one; more are counted per commune.</extracomment>
        <translation>Passation en tant que {author} ({role}), pas encore enregistrée</translation>
    </message>
    <message>
        <source>Shift from {start} to {end}</source>
        <translation>Service du {start} au {end}</translation>
    </message>
    <message>
        <source>Handover {id} by {author} ({role}) at {at}</source>
        <translation>Passation {id} par {author} ({role}) le {at}</translation>
    </message>
    <message>
        <source>Accepted by {by} at {at}</source>
        <translation>Acceptée par {by} à {at}</translation>
    </message>
    <message>
        <source>Not accepted yet</source>
        <translation>Pas encore acceptée</translation>
    </message>
    <message>
        <source>no remarks</source>
        <translation>aucune remarque</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>Remarques</translation>
    </message>
    <message>
        <source>Open incidents</source>
        <translation>Incidents ouverts</translation>
    </message>
    <message>
        <source>Units out</source>
        <translation>Unités engagées</translation>
    </message>
    <message>
        <source>Modes in force</source>
        <translation>Modes en vigueur</translation>
    </message>
    <message>
        <source>{kind}: {value} since {since} by {by}</source>
        <translation>{kind} : {value} depuis {since} par {by}</translation>
    </message>
    <message>
        <source>Devices in fault</source>
        <translation>Équipements en panne</translation>
    </message>
    <message>
        <source>Commands pending or partial</source>
        <translation>Commandes en attente ou partielles</translation>
    </message>
    <message>
        <source>Approvals waiting</source>
        <translation>Approbations en attente</translation>
    </message>
    <message>
        <source>Camera views open</source>
        <translation>Visionnages de caméras en cours</translation>
    </message>
    <message>
        <source>Logbook of the shift</source>
        <translation>Main courante du service</translation>
    </message>
    <message>
        <source>{at} {operator}: {text}</source>
        <translation>{at} {operator} : {text}</translation>
    </message>
    <message>
        <source>not shown to your role</source>
        <translation>non visible pour votre rôle</translation>
    </message>
    <message>
        <source>none</source>
        <translation>néant</translation>
    </message>
    <message>
        <source>no act since it was created</source>
        <translation>aucun acte depuis sa création</translation>
    </message>
    <message>
        <source>{what}, {at} by {by}</source>
        <translation>{what}, {at} par {by}</translation>
    </message>
    <message>
        <source>{field} {new}, {at} by {by}</source>
        <translation>{field} : {new}, {at} par {by}</translation>
    </message>
    <message>
        <source>location moved</source>
        <translation>position déplacée</translation>
    </message>
    <message>
        <source>description edited</source>
        <translation>description modifiée</translation>
    </message>
    <message>
        <source>priority&apos;s reason edited</source>
        <translation>motif de la priorité modifié</translation>
    </message>
    <message>
        <source>P{priority} #{id} {category}, {where}: {status}</source>
        <translation>P{priority} n° {id} {category}, {where} : {status}</translation>
    </message>
    <message>
        <source>; last: {last}</source>
        <translation>; dernier acte : {last}</translation>
    </message>
    <message>
        <source>; unit: {unit}</source>
        <translation>; unité : {unit}</translation>
    </message>
    <message>
        <source>{name} ({kind}): {status}</source>
        <translation>{name} ({kind}) : {status}</translation>
    </message>
    <message>
        <source>{name} ({kind}): {status}, incident #{incident} at {where}</source>
        <translation>{name} ({kind}) : {status}, incident n° {incident} à {where}</translation>
    </message>
    <message>
        <source>street lights: {count} in fault ({communes})</source>
        <translation>points lumineux : {count} en panne ({communes})</translation>
    </message>
    <message>
        <source>{name} ({type}, {commune}): {status} since {since}</source>
        <translation>{name} ({type}, {commune}) : {status} depuis {since}</translation>
    </message>
    <message>
        <source>{command} to {target}: {status}, issued {at} by {by}</source>
        <translation>{command} vers {target} : {status}, émise à {at} par {by}</translation>
    </message>
    <message>
        <source>{act} asked {at} by {by} ({reason}), until {until}</source>
        <translation>{act} : demandé à {at} par {by} ({reason}), jusqu&apos;à {until}</translation>
    </message>
    <message>
        <source>{camera} watched by {operator} since {at}: {purpose}</source>
        <translation>{camera} regardée par {operator} depuis {at} : {purpose}</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>new</source>
        <translation>nouveau</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>pris en compte</translation>
    </message>
    <message>
        <source>dispatched</source>
        <translation>engagé</translation>
    </message>
    <message>
        <source>on scene</source>
        <translation>sur place</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>résolu</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>clos</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>doublon</translation>
    </message>
    <message>
        <source>citizen report</source>
        <translation>signalement</translation>
    </message>
    <message>
        <source>field alert</source>
        <translation>alerte terrain</translation>
    </message>
    <message>
        <source>equipment fault</source>
        <translation>panne d&apos;équipement</translation>
    </message>
    <message>
        <source>phone call</source>
        <translation>appel</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>opérateur</translation>
    </message>
    <message>
        <source>created</source>
        <extracomment>An incident&apos;s history names the field that changed.</extracomment>
        <translation>création</translation>
    </message>
    <message>
        <source>status</source>
        <translation>statut</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>priorité</translation>
    </message>
    <message>
        <source>priority&apos;s reason</source>
        <translation>motif de priorité</translation>
    </message>
    <message>
        <source>category</source>
        <translation>catégorie</translation>
    </message>
    <message>
        <source>commune</source>
        <translation>commune</translation>
    </message>
    <message>
        <source>location</source>
        <translation>position</translation>
    </message>
    <message>
        <source>place</source>
        <translation>lieu</translation>
    </message>
    <message>
        <source>description</source>
        <translation>description</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>unité</translation>
    </message>
    <message>
        <source>duplicate of</source>
        <translation>doublon de</translation>
    </message>
    <message>
        <source>field alerts</source>
        <translation>alertes terrain</translation>
    </message>
    <message>
        <source>building alarm</source>
        <translation>alarme de bâtiment</translation>
    </message>
    <message>
        <source>fire</source>
        <translation>incendie</translation>
    </message>
    <message>
        <source>health</source>
        <translation>santé</translation>
    </message>
    <message>
        <source>traffic</source>
        <translation>circulation</translation>
    </message>
    <message>
        <source>weather</source>
        <translation>météo</translation>
    </message>
    <message>
        <source>water</source>
        <translation>eau</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>environnement</translation>
    </message>
    <message>
        <source>natural disaster</source>
        <translation>catastrophe naturelle</translation>
    </message>
    <message>
        <source>public order</source>
        <translation>ordre public</translation>
    </message>
    <message>
        <source>road accident</source>
        <translation>accident de la route</translation>
    </message>
    <message>
        <source>freeze risk</source>
        <translation>risque de verglas</translation>
    </message>
    <message>
        <source>traffic signal fault</source>
        <translation>panne de feux</translation>
    </message>
    <message>
        <source>bollard fault</source>
        <translation>panne de borne</translation>
    </message>
    <message>
        <source>camera fault</source>
        <translation>panne de caméra</translation>
    </message>
    <message>
        <source>lighting cabinet fault</source>
        <translation>panne d&apos;armoire d&apos;éclairage</translation>
    </message>
    <message>
        <source>cabinet failure</source>
        <translation>armoire en défaut</translation>
    </message>
    <message>
        <source>street light fault</source>
        <translation>panne d&apos;éclairage</translation>
    </message>
    <message>
        <source>road damage</source>
        <translation>chaussée dégradée</translation>
    </message>
    <message>
        <source>fallen tree</source>
        <translation>arbre tombé</translation>
    </message>
    <message>
        <source>noise</source>
        <translation>bruit</translation>
    </message>
    <message>
        <source>abandoned vehicle</source>
        <translation>véhicule abandonné</translation>
    </message>
    <message>
        <source>cleanliness</source>
        <translation>propreté</translation>
    </message>
    <message>
        <source>graffiti</source>
        <translation>tags</translation>
    </message>
    <message>
        <source>signage</source>
        <translation>signalisation</translation>
    </message>
    <message>
        <source>obstructive parking</source>
        <translation>stationnement gênant</translation>
    </message>
    <message>
        <source>green spaces</source>
        <translation>espaces verts</translation>
    </message>
    <message>
        <source>street furniture</source>
        <translation>mobilier urbain</translation>
    </message>
    <message>
        <source>snow and ice</source>
        <translation>neige et verglas</translation>
    </message>
    <message>
        <source>other</source>
        <translation>autre</translation>
    </message>
    <message>
        <source>available</source>
        <translation>disponible</translation>
    </message>
    <message>
        <source>en route</source>
        <translation>en route</translation>
    </message>
    <message>
        <source>unavailable</source>
        <translation>indisponible</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>acceptée</translation>
    </message>
    <message>
        <source>done</source>
        <translation>faite</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>partielle</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>refusée</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échouée</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expirée</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>sans réponse</translation>
    </message>
    <message>
        <source>working</source>
        <extracomment>A device&apos;s ``status`` (the field contract&apos;s, Smart Data Models&apos; for Streetlight): in words.</extracomment>
        <translation>en service</translation>
    </message>
    <message>
        <source>fault</source>
        <translation>en panne</translation>
    </message>
    <message>
        <source>silent (stale)</source>
        <translation>muet (état trop ancien)</translation>
    </message>
    <message>
        <source>link lost</source>
        <translation>liaison perdue</translation>
    </message>
    <message>
        <source>street light</source>
        <extracomment>A device&apos;s type (the field contract&apos;s Smart Data Models names): what a technician calls it.</extracomment>
        <translation>point lumineux</translation>
    </message>
    <message>
        <source>lighting group</source>
        <translation>groupe d&apos;éclairage</translation>
    </message>
    <message>
        <source>lighting cabinet</source>
        <translation>armoire d&apos;éclairage</translation>
    </message>
    <message>
        <source>traffic signal</source>
        <translation>carrefour à feux</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>caméra</translation>
    </message>
    <message>
        <source>bollard</source>
        <translation>borne escamotable</translation>
    </message>
    <message>
        <source>road weather station</source>
        <translation>station météo routière</translation>
    </message>
    <message>
        <source>traffic counter</source>
        <translation>compteur de trafic</translation>
    </message>
    <message>
        <source>salt stock</source>
        <translation>stock de sel</translation>
    </message>
    <message>
        <source>presence sensor</source>
        <translation>détecteur de présence</translation>
    </message>
    <message>
        <source>defective lamp</source>
        <translation>lampe défectueuse</translation>
    </message>
    <message>
        <source>broken lantern</source>
        <translation>lanterne cassée</translation>
    </message>
    <message>
        <source>column problem</source>
        <translation>mât endommagé</translation>
    </message>
    <message>
        <source>dispatcher</source>
        <translation>opérateur de dispatch</translation>
    </message>
    <message>
        <source>snow coordinator</source>
        <translation>coordinateur plan neige</translation>
    </message>
    <message>
        <source>technician</source>
        <translation>technicien</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>superviseur</translation>
    </message>
    <message>
        <source>auditor</source>
        <translation>auditeur</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <source>video operator</source>
        <translation>opérateur vidéo</translation>
    </message>
    <message>
        <source>patrol</source>
        <translation>patrouille</translation>
    </message>
    <message>
        <source>road crew</source>
        <translation>équipe voirie</translation>
    </message>
    <message>
        <source>snow plough</source>
        <translation>chasse-neige</translation>
    </message>
    <message>
        <source>salt spreader</source>
        <translation>saleuse</translation>
    </message>
    <message>
        <source>0 watch</source>
        <translation>0 veille</translation>
    </message>
    <message>
        <source>1 alert</source>
        <translation>1 alerte</translation>
    </message>
    <message>
        <source>2 intervention</source>
        <translation>2 intervention</translation>
    </message>
    <message>
        <source>3 crisis</source>
        <translation>3 crise</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>pointe</translation>
    </message>
    <message>
        <source>event</source>
        <translation>événement</translation>
    </message>
    <message>
        <source>incident</source>
        <translation>incident</translation>
    </message>
    <message>
        <source>snow</source>
        <translation>neige</translation>
    </message>
    <message>
        <source>snow plan</source>
        <translation>plan neige</translation>
    </message>
    <message>
        <source>traffic mode</source>
        <translation>mode de circulation</translation>
    </message>
    <message>
        <source>applying</source>
        <translation>en cours d&apos;application</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>appliqué</translation>
    </message>
    <message>
        <source>partly applied</source>
        <translation>appliqué en partie</translation>
    </message>
    <message>
        <source>rolled back</source>
        <translation>annulé (retour arrière)</translation>
    </message>
    <message>
        <source>dry</source>
        <translation>sèche</translation>
    </message>
    <message>
        <source>moist</source>
        <translation>humide</translation>
    </message>
    <message>
        <source>wet</source>
        <translation>mouillée</translation>
    </message>
    <message>
        <source>icy</source>
        <translation>verglacée</translation>
    </message>
    <message>
        <source>snow-covered</source>
        <translation>enneigée</translation>
    </message>
    <message>
        <source>the sender&apos;s clock was ahead: received time shown</source>
        <extracomment>What the recorder noticed in a message it accepted (``Incident.flags``): said in words in the detail, so that an operator knows which of the field&apos;s values to doubt.</extracomment>
        <translation>l&apos;horloge de l&apos;émetteur était en avance : heure de réception affichée</translation>
    </message>
    <message>
        <source>the sender&apos;s clock was not set (a date before 2000): received time shown</source>
        <translation>l&apos;horloge de l&apos;émetteur n&apos;était pas réglée (date antérieure à 2000) : heure de réception affichée</translation>
    </message>
    <message>
        <source>the sender&apos;s time had no time zone: read as UTC</source>
        <translation>l&apos;heure de l&apos;émetteur n&apos;avait pas de fuseau : lue comme UTC</translation>
    </message>
    <message>
        <source>the position is outside the métropole</source>
        <translation>la position est hors de la métropole</translation>
    </message>
    <message>
        <source>invisible characters removed</source>
        <translation>caractères invisibles supprimés</translation>
    </message>
    <message>
        <source>the id in the message differs from its topic&apos;s: the topic&apos;s kept</source>
        <translation>l&apos;identifiant du message diffère de celui de son topic : celui du topic est retenu</translation>
    </message>
    <message>
        <source>the type in the message differs from its topic&apos;s: the topic&apos;s kept</source>
        <translation>le type du message diffère de celui de son topic : celui du topic est retenu</translation>
    </message>
</context>
<context>
    <name>lighting</name>
    <message>
        <source>{n} kWh</source>
        <extracomment>Groups listed one by one in a status before &quot;… and N more&quot;.</extracomment>
        <translation>{n} kWh</translation>
    </message>
    <message>
        <source>dusk</source>
        <translation>crépuscule</translation>
    </message>
    <message>
        <source>dawn</source>
        <translation>aube</translation>
    </message>
    <message>
        <source>off</source>
        <translation>éteint</translation>
    </message>
    <message>
        <source>{steps}; with presence {boosts} for {minutes} min</source>
        <translation>{steps} ; avec présence {boosts} pendant {minutes} min</translation>
    </message>
    <message>
        <source>Tonight ({night}): {projected} against {baseline} at full power, {saving} saved ({share})</source>
        <translation>Cette nuit ({night}) : {projected} contre {baseline} à pleine puissance, {saving} économisés ({share})</translation>
    </message>
    <message>
        <source>{commune}: {lights} lights, {projected} ({baseline} full)</source>
        <translation>{commune} : {lights} luminaires, {projected} ({baseline} à pleine puissance)</translation>
    </message>
    <message>
        <source>{n} lights report no rated power: counted at 60 W each</source>
        <translation>{n} luminaires ne déclarent pas leur puissance nominale : comptés 60 W chacun</translation>
    </message>
    <message>
        <source>The policy names group {group}, which Vigie has never heard of</source>
        <translation>La politique nomme le groupe {group}, que Vigie ne connaît pas</translation>
    </message>
    <message>
        <source>Apply the lighting policy {source} ({title}): {groups} groups, {lights} lights</source>
        <translation>Appliquer la politique d&apos;éclairage {source} ({title}) : {groups} groupes, {lights} luminaires</translation>
    </message>
    <message>
        <source>{title} ({name}): {groups} groups, {lights} lights: {steps}</source>
        <translation>{title} ({name}) : {groups} groupes, {lights} luminaires : {steps}</translation>
    </message>
    <message>
        <source>Full light with the snow plan at level {level} or above: {groups} groups</source>
        <translation>Pleine lumière avec le plan neige au niveau {level} ou plus : {groups} groupes</translation>
    </message>
    <message>
        <source>Full light in traffic mode {mode}: {groups} groups</source>
        <translation>Pleine lumière en mode de circulation {mode} : {groups} groupes</translation>
    </message>
    <message>
        <source>At least {level} from {start} to {end} (public event): {groups} groups</source>
        <translation>Au moins {level} du {start} au {end} (événement public) : {groups} groupes</translation>
    </message>
    <message>
        <source>{finished}/{total} groups answered, {done}/{lights} lights hold the profile</source>
        <translation>{finished}/{total} groupes ont répondu, {done}/{lights} luminaires suivent le profil</translation>
    </message>
    <message>
        <source>Not confirmed for {n} groups: {groups}</source>
        <translation>Non confirmé pour {n} groupes : {groups}</translation>
    </message>
    <message>
        <source>Cabinets that never answered: {gateways}</source>
        <translation>Armoires qui n&apos;ont jamais répondu : {gateways}</translation>
    </message>
    <message>
        <source>{in_force} of {groups} groups report the policy&apos;s profile</source>
        <translation>{in_force} groupes sur {groups} déclarent le profil de la politique</translation>
    </message>
    <message>
        <source>{commune}: {ok}/{total}</source>
        <translation>{commune} : {ok}/{total}</translation>
    </message>
    <message>
        <source>no profile</source>
        <translation>aucun profil</translation>
    </message>
    <message>
        <source>{group}: reports {said} ({when}), should run {expected}</source>
        <translation>{group} : déclare {said} ({when}), devrait suivre {expected}</translation>
    </message>
    <message>
        <source>… and {n} more groups</source>
        <translation>… et {n} groupes de plus</translation>
    </message>
</context>
<context>
    <name>map</name>
    <message>
        <source>Patrol</source>
        <extracomment>The symbols&apos; colours, by role: the page&apos;s custom properties, so that the legend follows the theme with the rest of the page (in ``style``: SVG&apos;s attributes take no ``var()``). (symbol, words): the shapes say the kind, so that colour is never the only clue.</extracomment>
        <translation>Patrouille</translation>
    </message>
    <message>
        <source>Road crew</source>
        <translation>Équipe voirie</translation>
    </message>
    <message>
        <source>Snow plough</source>
        <translation>Chasse-neige</translation>
    </message>
    <message>
        <source>Salt spreader</source>
        <translation>Saleuse</translation>
    </message>
    <message>
        <source>Available, en route, on scene</source>
        <translation>Disponible, en route, sur place</translation>
    </message>
    <message>
        <source>Blade down, spreading</source>
        <translation>Lame baissée, salage en cours</translation>
    </message>
    <message>
        <source>Network treated within the hour; past its target (dashed: secondary)</source>
        <translation>Réseau traité dans l&apos;heure ; au-delà de son objectif (tirets : secondaire)</translation>
    </message>
    <message>
        <source>Street light: off, dimmed, at full level</source>
        <translation>Luminaire : éteint, abaissé, à pleine puissance</translation>
    </message>
    <message>
        <source>Zoomed out: that many in the area, a click zooms in</source>
        <translation>Vue éloignée : autant dans le secteur, un clic rapproche</translation>
    </message>
    <message>
        <source>Dark at night when it should be lit</source>
        <translation>Éteint de nuit alors qu’il devrait être allumé</translation>
    </message>
    <message>
        <source>Traffic signal</source>
        <translation>Carrefour à feux</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Caméra</translation>
    </message>
    <message>
        <source>Bollard</source>
        <translation>Borne escamotable</translation>
    </message>
    <message>
        <source>Fault (larger, ringed)</source>
        <translation>En panne (plus gros, cerclé)</translation>
    </message>
    <message>
        <source>Silent: last state too old</source>
        <translation>Muet : dernier état trop ancien</translation>
    </message>
    <message>
        <source>Link to its gateway lost</source>
        <translation>Liaison avec sa passerelle perdue</translation>
    </message>
    <message>
        <source>Commune outlines: IGN Admin Express, Licence Ouverte</source>
        <extracomment>Dijon Métropole&apos;s centre and a zoom that shows its 23 communes on a workstation&apos;s screen: where the page starts, until it fits the communes&apos; outlines to the panel&apos;s real size. The outlines&apos; source, as its licence asks it to be credited.</extracomment>
        <translation>Limites communales : IGN Admin Express, Licence Ouverte</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>Légende</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>something went wrong</source>
        <translation>une erreur s&apos;est produite</translation>
    </message>
    <message>
        <source>invalid value</source>
        <translation>valeur invalide</translation>
    </message>
    <message>
        <source>this collides with what is already recorded</source>
        <translation>cela contredit ce qui est déjà enregistré</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>introuvable</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>non autorisé</translation>
    </message>
    <message>
        <source>cannot read the configuration file {path}: {reason}</source>
        <translation>impossible de lire le fichier de configuration {path} : {reason}</translation>
    </message>
    <message>
        <source>{path}: unknown setting &apos;{key}&apos; (known settings: {known})</source>
        <translation>{path} : réglage inconnu &apos;{key}&apos; (réglages connus : {known})</translation>
    </message>
    <message>
        <source>{path}: setting &apos;{key}&apos; must be a non-empty text value</source>
        <translation>{path} : le réglage &apos;{key}&apos; doit être un texte non vide</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos; must be a whole number of minutes above 0, not &apos;{value}&apos;</source>
        <translation>le réglage « {key} » doit être un nombre entier de minutes supérieur à 0, pas « {value} »</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos; must be a whole number, 0 or more, not &apos;{value}&apos;</source>
        <translation>le réglage « {key} » doit être un nombre entier, 0 ou plus, pas « {value} »</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is not a time zone (an IANA name such as Europe/Paris)</source>
        <translation>réglage « {key} » : « {value} » n&apos;est pas un fuseau horaire (un nom IANA comme Europe/Paris)</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is not the INSEE code of a commune of the métropole</source>
        <translation>réglage « {key} » : « {value} » n&apos;est pas le code INSEE d&apos;une commune de la métropole</translation>
    </message>
    <message>
        <source>{path}: others may read this password file (mode {mode}): make it 600 with &apos;chmod 600 {path}&apos;</source>
        <translation>{path} : d&apos;autres peuvent lire ce fichier de mot de passe (mode {mode}) : passez-le en 600 avec &apos;chmod 600 {path}&apos;</translation>
    </message>
    <message>
        <source>cannot read the password file {path}: {reason}</source>
        <translation>impossible de lire le fichier de mot de passe {path} : {reason}</translation>
    </message>
    <message>
        <source>{path}: the password file&apos;s first line is empty</source>
        <translation>{path} : la première ligne du fichier de mot de passe est vide</translation>
    </message>
    <message>
        <source>the broker URL {url} carries a password and a password file is given too: keep one</source>
        <translation>l&apos;URL du broker {url} porte un mot de passe et un fichier de mot de passe est aussi donné : gardez-en un seul</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; cannot prefix role names: a lower-case letter, then letters, digits or _, 16 at most</source>
        <translation>&apos;{value}&apos; ne peut pas préfixer des noms de rôles : une lettre minuscule, puis lettres, chiffres ou _, 16 au plus</translation>
    </message>
    <message>
        <source>this database&apos;s group roles are prefixed {kept}, not {asked}: the prefix is kept from the first upgrade</source>
        <translation>les rôles de groupe de cette base ont le préfixe {kept}, pas {asked} : le préfixe est conservé dès la première mise à niveau</translation>
    </message>
    <message>
        <source>refused: only a superuser, or the database&apos;s owner with CREATEROLE, installs the roles and grants ({reason}); the schema is upgraded, the authority is not</source>
        <translation>refusé : seul un superutilisateur, ou le propriétaire de la base avec CREATEROLE, installe les rôles et les droits ({reason}) ; le schéma est à jour, pas les droits</translation>
    </message>
    <message>
        <source>cannot reach the database {url}: {reason}; nothing was recorded</source>
        <translation>base de données {url} injoignable : {reason} ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>the database {url} has no Vigie tables yet: run &apos;vigie db upgrade&apos; first</source>
        <translation>la base {url} n&apos;a pas encore les tables de Vigie : lancez d&apos;abord &apos;vigie db upgrade&apos;</translation>
    </message>
    <message>
        <source>the database schema is at revision {current}, this Vigie needs {head}: run &apos;vigie db upgrade&apos;</source>
        <translation>le schéma de la base est en révision {current}, ce Vigie attend {head} : lancez &apos;vigie db upgrade&apos;</translation>
    </message>
    <message>
        <source>operator &apos;{name}&apos; does not exist: choose another with --operator or VIGIE_OPERATOR, or ask an administrator to run &apos;vigie operator add {name} --role ROLE&apos;</source>
        <translation>l&apos;opérateur &apos;{name}&apos; n&apos;existe pas : choisissez-en un autre avec --operator ou VIGIE_OPERATOR, ou demandez à un administrateur de lancer &apos;vigie operator add {name} --role ROLE&apos;</translation>
    </message>
    <message>
        <source>operator &apos;{name}&apos; already exists</source>
        <translation>l&apos;opérateur &apos;{name}&apos; existe déjà</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; cannot be an operator&apos;s name: use letters, digits and . _ - @, starting with a letter or digit, at most 64 characters</source>
        <translation>&apos;{name}&apos; ne peut pas être un nom d&apos;opérateur : lettres, chiffres et . _ - @, en commençant par une lettre ou un chiffre, 64 caractères au plus</translation>
    </message>
    <message>
        <source>&apos;{name}&apos;: names beginning with &apos;system:&apos; are reserved for Vigie itself</source>
        <translation>&apos;{name}&apos; : les noms commençant par &apos;system:&apos; sont réservés à Vigie</translation>
    </message>
    <message>
        <source>unknown role &apos;{value}&apos; (roles: {known})</source>
        <translation>rôle inconnu &apos;{value}&apos; (rôles : {known})</translation>
    </message>
    <message>
        <source>a logbook entry cannot be empty</source>
        <translation>une entrée de main courante ne peut pas être vide</translation>
    </message>
    <message>
        <source>a logbook entry is at most {maximum} characters</source>
        <translation>une entrée de main courante fait au plus {maximum} caractères</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an anchor: expected SEQ:HASH, as &apos;vigie audit head&apos; prints</source>
        <translation>&apos;{value}&apos; n&apos;est pas une ancre : SEQ:EMPREINTE attendu, comme l&apos;affiche &apos;vigie audit head&apos;</translation>
    </message>
    <message>
        <source>audit journal broken: entry {seq} is missing (deleted or renumbered)</source>
        <translation>journal d&apos;audit rompu : l&apos;entrée {seq} manque (supprimée ou renumérotée)</translation>
    </message>
    <message>
        <source>audit journal broken at entry {seq}: it does not follow the entry before it (inserted, deleted or reordered)</source>
        <translation>journal d&apos;audit rompu à l&apos;entrée {seq} : elle ne suit pas l&apos;entrée précédente (insertion, suppression ou déplacement)</translation>
    </message>
    <message>
        <source>audit journal broken at entry {seq}: its content was changed</source>
        <translation>journal d&apos;audit rompu à l&apos;entrée {seq} : son contenu a été modifié</translation>
    </message>
    <message>
        <source>audit journal broken: it ends before entry {seq}, its tail was cut</source>
        <translation>journal d&apos;audit rompu : il s&apos;arrête avant l&apos;entrée {seq}, sa fin a été coupée</translation>
    </message>
    <message>
        <source>audit journal broken at entry {seq}: it differs from the anchor (the tail was rewritten)</source>
        <translation>journal d&apos;audit rompu à l&apos;entrée {seq} : elle diffère de l&apos;ancre (la fin a été réécrite)</translation>
    </message>
    <message>
        <source>an incident cannot go from {from_status} to {to_status}</source>
        <translation>un incident ne peut pas passer de {from_status} à {to_status}</translation>
    </message>
    <message>
        <source>incident {incident_id} was changed by {changed_by} since you opened it (version {current_version}); your change was not applied</source>
        <translation>l&apos;incident {incident_id} a été modifié par {changed_by} depuis que vous l&apos;avez ouvert (version {current_version}) ; votre modification n&apos;a pas été appliquée</translation>
    </message>
    <message>
        <source>incident {id} does not exist</source>
        <translation>l&apos;incident {id} n&apos;existe pas</translation>
    </message>
    <message>
        <source>an incident needs a category</source>
        <translation>un incident doit avoir une catégorie</translation>
    </message>
    <message>
        <source>overriding a priority needs a reason</source>
        <translation>changer une priorité demande un motif</translation>
    </message>
    <message>
        <source>the priority of a {status} incident cannot change</source>
        <translation>la priorité d&apos;un incident {status} ne peut plus changer</translation>
    </message>
    <message>
        <source>say which incident this one duplicates</source>
        <translation>indiquez de quel incident celui-ci est un doublon</translation>
    </message>
    <message>
        <source>an incident cannot duplicate itself</source>
        <translation>un incident ne peut pas être son propre doublon</translation>
    </message>
    <message>
        <source>only a merge names the incident it duplicates</source>
        <translation>seule une fusion désigne l&apos;incident dont il est le doublon</translation>
    </message>
    <message>
        <source>a note cannot be empty</source>
        <translation>une note ne peut pas être vide</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a valid identifier (letters, digits and : . _ -)</source>
        <translation>&apos;{value}&apos; n&apos;est pas un identifiant valide (lettres, chiffres et : . _ -)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an INSEE commune code</source>
        <translation>&apos;{value}&apos; n&apos;est pas un code INSEE de commune</translation>
    </message>
    <message>
        <source>unknown equipment type &apos;{value}&apos;</source>
        <translation>type d&apos;équipement inconnu &apos;{value}&apos;</translation>
    </message>
    <message>
        <source>unknown command &apos;{value}&apos; (commands: {known})</source>
        <translation>commande inconnue &apos;{value}&apos; (commandes : {known})</translation>
    </message>
    <message>
        <source>parameter {name} must be {expected}</source>
        <translation>le paramètre {name} doit être de type {expected}</translation>
    </message>
    <message>
        <source>parameter {name} must be one of: {choices}</source>
        <translation>le paramètre {name} doit valoir : {choices}</translation>
    </message>
    <message>
        <source>parameter {name} must lie between {minimum} and {maximum}</source>
        <translation>le paramètre {name} doit être compris entre {minimum} et {maximum}</translation>
    </message>
    <message>
        <source>&apos;{command}&apos; is not an override and takes no &apos;until&apos;</source>
        <translation>&apos;{command}&apos; n&apos;est pas un forçage et n&apos;accepte pas &apos;until&apos;</translation>
    </message>
    <message>
        <source>&apos;{command}&apos; takes no parameter {name}</source>
        <translation>&apos;{command}&apos; n&apos;a pas de paramètre {name}</translation>
    </message>
    <message>
        <source>missing parameter(s): {names}</source>
        <translation>paramètre(s) manquant(s) : {names}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not key=value</source>
        <translation>&apos;{value}&apos; n&apos;est pas de la forme clé=valeur</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a time: give ISO 8601 or a duration such as +2h</source>
        <translation>&apos;{value}&apos; n&apos;est pas une heure : donnez une heure ISO 8601 ou une durée comme +2h</translation>
    </message>
    <message>
        <source>&apos;until&apos; {value} is already past</source>
        <translation>&apos;until&apos; {value} est déjà passé</translation>
    </message>
    <message>
        <source>&apos;{command}&apos; does not apply to {type} (it applies to: {types})</source>
        <translation>&apos;{command}&apos; ne s&apos;applique pas à {type} (il s&apos;applique à : {types})</translation>
    </message>
    <message>
        <source>cannot reach the broker {url}; nothing was sent</source>
        <translation>broker {url} injoignable ; rien n&apos;a été envoyé</translation>
    </message>
    <message>
        <source>refused: the broker {url} turned {identity} away: bad username or password ({reason}); nothing was recorded</source>
        <translation>refusé : le broker {url} a refusé {identity} : identifiant ou mot de passe incorrect ({reason}) ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>&apos;{url}&apos; is not a broker URL: expected mqtt://host:port or mqtts://…</source>
        <translation>&apos;{url}&apos; n&apos;est pas une URL de broker : mqtt://hôte:port ou mqtts://… attendu</translation>
    </message>
    <message>
        <source>connected to the broker {url}</source>
        <translation>connecté au broker {url}</translation>
    </message>
    <message>
        <source>lost the broker {url} ({reason}); reconnecting, nothing is lost</source>
        <translation>broker {url} perdu ({reason}) ; reconnexion en cours, rien n&apos;est perdu</translation>
    </message>
    <message>
        <source>cannot write the database ({reason}); holding messages and retrying</source>
        <translation>impossible d&apos;écrire dans la base ({reason}) ; messages conservés, nouvel essai</translation>
    </message>
    <message>
        <source>a message on {topic} could not be recorded ({reason}): quarantined</source>
        <translation>un message sur {topic} n&apos;a pas pu être enregistré ({reason}) : mis en quarantaine</translation>
    </message>
    <message>
        <source>the broker delivered {received} retained states at start-up but the database knows {known} devices: check its max_queued_messages (see the README)</source>
        <translation>le broker n&apos;a livré que {received} états conservés au démarrage alors que la base connaît {known} équipements : vérifiez son max_queued_messages (voir le README)</translation>
    </message>
    <message>
        <source>embedded broker started on {url}</source>
        <translation>broker embarqué démarré sur {url}</translation>
    </message>
    <message>
        <source>{part} stopped</source>
        <translation>{part} arrêté</translation>
    </message>
    <message>
        <source>incident {id} has no location: a unit cannot be ranked or sent to it</source>
        <translation>l&apos;incident {id} n&apos;a pas de position : aucune unité ne peut être classée ni engagée</translation>
    </message>
    <message>
        <source>unit {unit} is unknown: it has never sent a position or a status</source>
        <translation>l&apos;unité {unit} est inconnue : elle n&apos;a jamais envoyé de position ni de statut</translation>
    </message>
    <message>
        <source>unit {unit} is busy with incident #{incident}: nothing was sent</source>
        <translation>l&apos;unité {unit} est engagée sur l&apos;incident n° {incident} : rien n&apos;a été envoyé</translation>
    </message>
    <message>
        <source>unit {unit} is not available (its crew says: {status}): nothing was sent</source>
        <translation>l&apos;unité {unit} n&apos;est pas disponible (son équipage indique : {status}) : rien n&apos;a été envoyé</translation>
    </message>
    <message>
        <source>incident {id} is {priority}: only a P1 incident may take a unit off another incident</source>
        <translation>l&apos;incident {id} est en {priority} : seul un incident P1 peut retirer une unité d&apos;un autre incident</translation>
    </message>
    <message>
        <source>photo at {url} not fetched: its host is not in the allowed list</source>
        <translation>photo à {url} non récupérée : son hôte n&apos;est pas dans la liste autorisée</translation>
    </message>
    <message>
        <source>photo at {url} not shown: the server sent {kind}, not an image</source>
        <translation>photo à {url} non affichée : le serveur a envoyé {kind}, pas une image</translation>
    </message>
    <message>
        <source>photo at {url} unreachable: {reason}</source>
        <translation>photo à {url} injoignable : {reason}</translation>
    </message>
    <message>
        <source>photo at {url} not shown: over 2 MiB</source>
        <translation>photo à {url} non affichée : plus de 2 Mio</translation>
    </message>
    <message>
        <source>the recorder can no longer write ({reason}): stopping so that it is restarted; what was not recorded will be delivered again</source>
        <translation>l&apos;enregistreur ne peut plus écrire ({reason}) : il s&apos;arrête pour être relancé ; ce qui n&apos;a pas été enregistré sera remis à nouveau</translation>
    </message>
    <message>
        <source>the recorder&apos;s {work} failed ({reason}); it will be tried again</source>
        <translation>la tâche « {work} » de l&apos;enregistreur a échoué ({reason}) ; elle sera relancée</translation>
    </message>
    <message>
        <source>the database has no room left ({reason}): recording what still fits, holding the rest until space is freed</source>
        <translation>la base de données n&apos;a plus de place ({reason}) : enregistrement de ce qui tient encore, le reste est gardé jusqu&apos;à ce que de l&apos;espace soit libéré</translation>
    </message>
    <message>
        <source>another writer held the same rows in {url} ({reason}): try again</source>
        <translation>un autre rédacteur tenait les mêmes lignes dans {url} ({reason}) : réessayez</translation>
    </message>
    <message>
        <source>the database {url} has no room left: {reason}; nothing was recorded</source>
        <translation>la base de données {url} n&apos;a plus de place : {reason} ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>the recorder&apos;s writer process stopped unexpectedly (exit status {code})</source>
        <translation>le processus d&apos;écriture de l&apos;enregistreur s&apos;est arrêté de façon inattendue (statut de sortie {code})</translation>
    </message>
    <message>
        <source>re-sent {count} unfinished command(s) from the outbox</source>
        <translation>{count} commande(s) inachevée(s) renvoyée(s) depuis la boîte d&apos;envoi</translation>
    </message>
    <message>
        <source>the console of workstation {workstation} is gone: closed its {count} camera view(s)</source>
        <translation>la console du poste {workstation} a disparu : ses {count} visionnage(s) de caméra fermé(s)</translation>
    </message>
    <message>
        <source>choose what the call is about</source>
        <translation>choisissez l&apos;objet de l&apos;appel</translation>
    </message>
    <message>
        <source>describe what the caller says</source>
        <translation>décrivez ce que dit l&apos;appelant</translation>
    </message>
    <message>
        <source>say where: an address, a commune or coordinates</source>
        <translation>indiquez où : une adresse, une commune ou des coordonnées</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a commune of the métropole</source>
        <translation>&apos;{value}&apos; n&apos;est pas une commune de la métropole</translation>
    </message>
    <message>
        <source>give both latitude and longitude, or neither</source>
        <translation>donnez latitude et longitude, ou aucune des deux</translation>
    </message>
    <message>
        <source>coordinates must lie within ±90 latitude and ±180 longitude</source>
        <translation>les coordonnées doivent rester dans ±90 de latitude et ±180 de longitude</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a phone number</source>
        <translation>&apos;{value}&apos; n&apos;est pas un numéro de téléphone</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an e-mail address</source>
        <translation>&apos;{value}&apos; n&apos;est pas une adresse de courriel</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a snow level (0-3, watch, alert, intervention, crisis)</source>
        <translation>&apos;{value}&apos; n&apos;est pas un niveau du plan neige (0-3, watch, alert, intervention, crisis)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a traffic mode (normal, peak, event, incident, snow)</source>
        <translation>&apos;{value}&apos; n&apos;est pas un mode de circulation (normal, peak, event, incident, snow)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not snow or traffic</source>
        <translation>« {value} » n&apos;est ni snow ni traffic</translation>
    </message>
    <message>
        <source>refused: {by} is already switching the {kind} to {target}</source>
        <translation>refusé : {by} est déjà en train de basculer {kind} vers {target}</translation>
    </message>
    <message>
        <source>nothing to roll back: the {kind} has not been switched yet</source>
        <translation>rien à annuler : {kind} n&apos;a encore jamais été basculé</translation>
    </message>
    <message>
        <source>{source} says nothing for {kind} {value}: add it to the playbook first</source>
        <translation>{source} ne dit rien pour {kind} {value} : ajoutez-le d&apos;abord au plan d&apos;action</translation>
    </message>
    <message>
        <source>a switch needs its reason</source>
        <translation>un basculement demande son motif</translation>
    </message>
    <message>
        <source>the winter-service network is not usable</source>
        <translation>le réseau de viabilité hivernale est inutilisable</translation>
    </message>
    <message>
        <source>cannot read the winter-service network {source}: {reason}</source>
        <translation>impossible de lire le réseau de viabilité hivernale {source} : {reason}</translation>
    </message>
    <message>
        <source>{source} is not valid JSON: {reason}</source>
        <translation>{source} n&apos;est pas du JSON valide : {reason}</translation>
    </message>
    <message>
        <source>{source} is not a GeoJSON FeatureCollection</source>
        <translation>{source} n&apos;est pas une FeatureCollection GeoJSON</translation>
    </message>
    <message>
        <source>{source}: {where}: a segment is a LineString of valid coordinates with network principal or secondary and a positive target_minutes</source>
        <translation>{source} : {where} : un tronçon est une LineString aux coordonnées valides, avec network principal ou secondary et un target_minutes positif</translation>
    </message>
    <message>
        <source>refused by the database: {reason}; nothing was recorded</source>
        <translation>refusé par la base de données : {reason} ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>refused: {operator} ({role}) may not {act} (the permission matrix)</source>
        <translation>refusé : {operator} ({role}) n&apos;est pas autorisé à {act} (matrice des permissions)</translation>
    </message>
    <message>
        <source>refused: &apos;{operator}&apos; is not an operator of this database</source>
        <translation>refusé : « {operator} » n&apos;est pas un opérateur de cette base</translation>
    </message>
    <message>
        <source>refused: operator &apos;{operator}&apos; is disabled</source>
        <translation>refusé : l&apos;opérateur « {operator} » est désactivé</translation>
    </message>
    <message>
        <source>refused: &apos;{action}&apos; is recorded by Vigie itself, not by {operator}</source>
        <translation>refusé : « {action} » est enregistré par Vigie elle-même, pas par {operator}</translation>
    </message>
    <message>
        <source>a camera is opened for a purpose: the incident it is opened from, or one of the city&apos;s purposes with a text</source>
        <translation>une caméra s’ouvre pour un motif : l’incident depuis lequel on l’ouvre, ou l’un des motifs de la ville avec un texte</translation>
    </message>
    <message>
        <source>a camera view&apos;s purpose is at most {maximum} characters</source>
        <translation>le motif d’un visionnage fait au plus {maximum} caractères</translation>
    </message>
    <message>
        <source>a camera view lasts 1 to {maximum} minutes, not {value}</source>
        <translation>un visionnage dure de 1 à {maximum} minutes, pas {value}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; cannot name the workstation a camera view plays on</source>
        <translation>&apos;{value}&apos; ne peut pas nommer le poste où passe un visionnage</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not why a camera view ends ({known})</source>
        <translation>&apos;{value}&apos; n’est pas une raison de fin de visionnage ({known})</translation>
    </message>
    <message>
        <source>{id} is not a camera of the record</source>
        <translation>{id} n’est pas une caméra du référentiel</translation>
    </message>
    <message>
        <source>camera view {id} does not exist</source>
        <translation>le visionnage {id} n’existe pas</translation>
    </message>
    <message>
        <source>no stream secret for gateway {gateway} of {id}: an admin loads them with &apos;vigie video secrets load FILE&apos;</source>
        <translation>aucun secret de flux pour la passerelle {gateway} de {id} : un administrateur les charge avec &apos;vigie video secrets load FILE&apos;</translation>
    </message>
    <message>
        <source>refused: camera view {id} is not {operator}&apos;s</source>
        <translation>refusé : le visionnage {id} n’est pas celui de {operator}</translation>
    </message>
    <message>
        <source>camera view {id} is over: open the camera again</source>
        <translation>le visionnage {id} est terminé : rouvrez la caméra</translation>
    </message>
    <message>
        <source>camera view {id} is closed already</source>
        <translation>le visionnage {id} est déjà fermé</translation>
    </message>
    <message>
        <source>refused: {operator} may not close a camera view as {because}</source>
        <translation>refusé : {operator} ne peut pas fermer un visionnage pour la raison {because}</translation>
    </message>
    <message>
        <source>{source}: {gateway}: a gateway is named with letters, digits and : . _ - and its stream secret is 1 to 64 bytes</source>
        <translation>{source} : {gateway} : une passerelle se nomme avec des lettres, des chiffres et : . _ - et son secret de flux fait de 1 à 64 octets</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; cannot name an API key: lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, at most 64</source>
        <translation>« {name} » ne peut pas nommer une clé d&apos;API : minuscules, chiffres, « . », « _ » ou « - », 64 au plus</translation>
    </message>
    <message>
        <source>an API key named {name} exists already</source>
        <translation>une clé d&apos;API nommée {name} existe déjà</translation>
    </message>
    <message>
        <source>no API key is named {name}</source>
        <translation>aucune clé d&apos;API ne s&apos;appelle {name}</translation>
    </message>
    <message>
        <source>an api_key is required to post a request</source>
        <translation>une api_key est requise pour déposer une demande</translation>
    </message>
    <message>
        <source>this api_key is not valid (unknown or revoked)</source>
        <translation>cette api_key n&apos;est pas valide (inconnue ou révoquée)</translation>
    </message>
    <message>
        <source>the service has no attribute &apos;{code}&apos;</source>
        <translation>le service n&apos;a pas d&apos;attribut « {code} »</translation>
    </message>
    <message>
        <source>attribute &apos;{code}&apos; is required for this service</source>
        <translation>l&apos;attribut « {code} » est requis pour ce service</translation>
    </message>
    <message>
        <source>attribute &apos;{code}&apos; is too long</source>
        <translation>l&apos;attribut « {code} » est trop long</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a value of attribute &apos;{code}&apos;</source>
        <translation>« {value} » n&apos;est pas une valeur de l&apos;attribut « {code} »</translation>
    </message>
    <message>
        <source>attribute &apos;{code}&apos; takes one value</source>
        <translation>l&apos;attribut « {code} » prend une seule valeur</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not an attribute: post attribute[code]=value</source>
        <translation>« {name} » n&apos;est pas un attribut : envoyez attribute[code]=valeur</translation>
    </message>
    <message>
        <source>the photo is not a JPEG or PNG image</source>
        <translation>la photo n&apos;est pas une image JPEG ou PNG</translation>
    </message>
    <message>
        <source>the photo is larger than {limit} bytes</source>
        <translation>la photo dépasse {limit} octets</translation>
    </message>
    <message>
        <source>only a photo named &apos;media&apos; may be uploaded, not &apos;{name}&apos;</source>
        <translation>seule une photo nommée « media » peut être envoyée, pas « {name} »</translation>
    </message>
    <message>
        <source>the request&apos;s form cannot be read: {reason}</source>
        <translation>le formulaire de la demande est illisible : {reason}</translation>
    </message>
    <message>
        <source>service_code is required</source>
        <translation>service_code est requis</translation>
    </message>
    <message>
        <source>no service has the code &apos;{code}&apos;</source>
        <translation>aucun service n&apos;a le code « {code} »</translation>
    </message>
    <message>
        <source>a location is required: lat and long, or address_string</source>
        <translation>un lieu est requis : lat et long, ou address_string</translation>
    </message>
    <message>
        <source>lat and long go together: send both</source>
        <translation>lat et long vont ensemble : envoyez les deux</translation>
    </message>
    <message>
        <source>lat {lat} and long {long} are not a position in WGS84 degrees</source>
        <translation>lat {lat} et long {long} ne sont pas une position en degrés WGS84</translation>
    </message>
    <message>
        <source>{field} is longer than {limit} characters</source>
        <translation>{field} dépasse {limit} caractères</translation>
    </message>
    <message>
        <source>media_url must be an http or https URL</source>
        <translation>media_url doit être une URL http ou https</translation>
    </message>
    <message>
        <source>&apos;{format}&apos; is not a format of this service: json or xml</source>
        <translation>« {format} » n&apos;est pas un format de ce service : json ou xml</translation>
    </message>
    <message>
        <source>the service cannot record or read requests now; nothing was recorded, try again later</source>
        <translation>le service ne peut ni enregistrer ni lire de demande pour l&apos;instant ; rien n&apos;a été enregistré, réessayez plus tard</translation>
    </message>
    <message>
        <source>too many requests ({per_minute} a minute at most): try again in a moment</source>
        <translation>trop de requêtes ({per_minute} par minute au plus) : réessayez dans un instant</translation>
    </message>
    <message>
        <source>jurisdiction &apos;{jurisdiction}&apos; is not served here</source>
        <translation>la juridiction « {jurisdiction} » n&apos;est pas servie ici</translation>
    </message>
    <message>
        <source>the service failed to answer this request; try again later</source>
        <translation>le service n&apos;a pas pu répondre à cette demande ; réessayez plus tard</translation>
    </message>
    <message>
        <source>no such resource in GeoReport v2</source>
        <translation>cette ressource n&apos;existe pas dans GeoReport v2</translation>
    </message>
    <message>
        <source>this method is not allowed here</source>
        <translation>cette méthode n&apos;est pas permise ici</translation>
    </message>
    <message>
        <source>no request has the id &apos;{id}&apos;</source>
        <translation>aucune demande n&apos;a l&apos;identifiant « {id} »</translation>
    </message>
    <message>
        <source>no request has this token</source>
        <translation>aucune demande n&apos;a ce jeton</translation>
    </message>
    <message>
        <source>&apos;{status}&apos; is not a status: open or closed</source>
        <translation>« {status} » n&apos;est pas un statut : open ou closed</translation>
    </message>
    <message>
        <source>{field} &apos;{value}&apos; is not a W3C date and time with its offset (2026-12-01T00:00:00Z)</source>
        <translation>{field} « {value} » n&apos;est pas une date et heure W3C avec son décalage (2026-12-01T00:00:00Z)</translation>
    </message>
    <message>
        <source>end_date is before start_date</source>
        <translation>end_date est antérieure à start_date</translation>
    </message>
    <message>
        <source>start_date and end_date may not span more than {days} days</source>
        <translation>start_date et end_date ne peuvent pas couvrir plus de {days} jours</translation>
    </message>
    <message>
        <source>{field} must be a whole number from 1, not &apos;{value}&apos;</source>
        <translation>{field} doit être un nombre entier à partir de 1, pas « {value} »</translation>
    </message>
    <message>
        <source>incident {id} did not come from a citizen&apos;s request: its notes stay internal</source>
        <translation>l&apos;incident {id} ne vient pas d&apos;une demande citoyenne : ses notes restent internes</translation>
    </message>
    <message>
        <source>note {id} does not exist</source>
        <translation>la note {id} n&apos;existe pas</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; cannot name a snapshot: a PNG&apos;s plain name in the snapshots folder</source>
        <translation>« {value} » ne peut pas nommer une capture : le simple nom d&apos;un PNG du dossier des captures</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a SHA-256 digest (64 lower-case hexadecimal digits)</source>
        <translation>« {value} » n&apos;est pas une empreinte SHA-256 (64 chiffres hexadécimaux en minuscules)</translation>
    </message>
    <message>
        <source>a snapshot is 1 to {maximum} bytes, not {value}</source>
        <translation>une capture fait de 1 à {maximum} octets, pas {value}</translation>
    </message>
    <message>
        <source>snapshot {file} is recorded already</source>
        <translation>la capture {file} est déjà enregistrée</translation>
    </message>
    <message>
        <source>this is not a camera&apos;s stream address (http://HOST:PORT/cameras/ID/stream)</source>
        <translation>ce n&apos;est pas l&apos;adresse du flux d&apos;une caméra (http://HOST:PORT/cameras/ID/stream)</translation>
    </message>
    <message>
        <source>no snapshot of {camera} was saved</source>
        <translation>aucune capture de {camera} n&apos;a été enregistrée</translation>
    </message>
    <message>
        <source>{camera} refused the snapshot ({status} {reason}): the view&apos;s token does not open it now; nothing was saved</source>
        <translation>{camera} a refusé la capture ({status} {reason}) : le jeton du visionnage ne l&apos;ouvre plus ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>{camera} gave no picture ({status} {reason}); nothing was saved</source>
        <translation>{camera} n&apos;a donné aucune image ({status} {reason}) ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>{camera} did not answer ({reason}); nothing was saved</source>
        <translation>{camera} n&apos;a pas répondu ({reason}) ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>{camera} did not send a JPEG picture Vigie takes; nothing was saved</source>
        <translation>{camera} n&apos;a pas envoyé d&apos;image JPEG que Vigie accepte ; rien n&apos;a été enregistré</translation>
    </message>
    <message>
        <source>the snapshot of {camera} could not be saved in {folder}: {reason}</source>
        <translation>la capture de {camera} n&apos;a pas pu être enregistrée dans {folder} : {reason}</translation>
    </message>
    <message>
        <source>a command to all devices of a type waits for a second operator&apos;s approval</source>
        <translation>une commande à tous les équipements d’un type attend l’approbation d’un second opérateur</translation>
    </message>
    <message>
        <source>switching off a whole commune&apos;s lights between sunset and sunrise waits for a second operator&apos;s approval</source>
        <translation>éteindre l’éclairage de toute une commune entre le coucher et le lever du soleil attend l’approbation d’un second opérateur</translation>
    </message>
    <message>
        <source>a command to this many devices waits for a second operator&apos;s approval</source>
        <translation>une commande à autant d’équipements attend l’approbation d’un second opérateur</translation>
    </message>
    <message>
        <source>lowering a bollard waits for a second operator&apos;s approval</source>
        <translation>abaisser une borne attend l’approbation d’un second opérateur</translation>
    </message>
    <message>
        <source>this snow level waits for a second operator&apos;s approval</source>
        <translation>ce niveau du plan neige attend l’approbation d’un second opérateur</translation>
    </message>
    <message>
        <source>changing an operator&apos;s role waits for a second operator&apos;s approval</source>
        <translation>changer le rôle d’un opérateur attend l’approbation d’un second opérateur</translation>
    </message>
    <message>
        <source>a lighting policy pushed to the city&apos;s cabinets waits for a second operator&apos;s approval</source>
        <translation>appliquer une politique d&apos;éclairage aux armoires de la ville attend l&apos;approbation d&apos;un second opérateur</translation>
    </message>
    <message>
        <source>a request for approval, and a refusal, need their reason</source>
        <translation>une demande d’approbation, comme un refus, demande son motif</translation>
    </message>
    <message>
        <source>no request {id} awaits approval</source>
        <translation>aucune demande {id} n’attend d’approbation</translation>
    </message>
    <message>
        <source>request {id} is no longer awaiting approval: it is {status}</source>
        <translation>la demande {id} n’attend plus d’approbation : elle est {status}</translation>
    </message>
    <message>
        <source>request {id} ran out of time: nothing of it was sent</source>
        <translation>la demande {id} a expiré : rien n’en a été envoyé</translation>
    </message>
    <message>
        <source>refused: {operator} requested this act; another operator must approve it</source>
        <translation>refusé : {operator} a demandé cet acte ; un autre opérateur doit l’approuver</translation>
    </message>
    <message>
        <source>{source}: [approvals] {key} is not a rule Vigie knows or has a wrong value</source>
        <translation>{source} : [approvals] {key} n’est pas une règle connue de Vigie ou a une valeur incorrecte</translation>
    </message>
    <message>
        <source>{source}: [approvals] role_change stays true: an operator&apos;s role changes only with a second operator&apos;s approval</source>
        <translation>{source} : [approvals] role_change reste à true : le rôle d’un opérateur ne change qu’avec l’approbation d’un second opérateur</translation>
    </message>
    <message>
        <source>{source}: not a valid permission matrix</source>
        <translation>{source} : matrice des permissions invalide</translation>
    </message>
    <message>
        <source>the permission matrix {source} cannot be read: {reason}</source>
        <translation>la matrice des permissions {source} ne peut pas être lue : {reason}</translation>
    </message>
    <message>
        <source>{source}: no [acts] table</source>
        <translation>{source} : pas de table [acts]</translation>
    </message>
    <message>
        <source>{source}: &apos;{act}&apos; is not an act Vigie knows</source>
        <translation>{source} : « {act} » n&apos;est pas un acte connu de Vigie</translation>
    </message>
    <message>
        <source>{source}: act &apos;{act}&apos; is missing (list its roles, or none: [])</source>
        <translation>{source} : l&apos;acte « {act} » manque (indiquez ses rôles, ou aucun : [])</translation>
    </message>
    <message>
        <source>{source}: act &apos;{act}&apos; must list role names</source>
        <translation>{source} : l&apos;acte « {act} » doit lister des noms de rôles</translation>
    </message>
    <message>
        <source>{source}: act &apos;{act}&apos;: &apos;{role}&apos; is not a Vigie role</source>
        <translation>{source} : acte « {act} » : « {role} » n&apos;est pas un rôle Vigie</translation>
    </message>
    <message>
        <source>{source}: act &apos;{act}&apos;: the admin runs no operational act (only read_audit and manage_operators)</source>
        <translation>{source} : acte « {act} » : l’administrateur n’exerce aucun acte opérationnel (seulement read_audit et manage_operators)</translation>
    </message>
    <message>
        <source>{source}: act &apos;manage_operators&apos;: only the admin manages operators, not &apos;{role}&apos;</source>
        <translation>{source} : acte « manage_operators » : seul l’administrateur gère les opérateurs, pas « {role} »</translation>
    </message>
    <message>
        <source>{source}: {where}: not a valid entry</source>
        <translation>{source} : {where} : entrée non valide</translation>
    </message>
    <message>
        <source>cannot read the playbook {source}: {reason}</source>
        <translation>impossible de lire le plan d&apos;action {source} : {reason}</translation>
    </message>
    <message>
        <source>cannot read the lighting policy {source}: {reason}</source>
        <translation>impossible de lire la politique d&apos;éclairage {source} : {reason}</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a lighting policy key</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une clé de politique d&apos;éclairage</translation>
    </message>
    <message>
        <source>{source}: {where}: a number, zero or more, is expected</source>
        <translation>{source} : {where} : un nombre positif ou nul est attendu</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a lighting class of EN 13201-2 (M1–M6, C0–C5, P1–P7)</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une classe d&apos;éclairage de l&apos;EN 13201-2 (M1–M6, C0–C5, P1–P7)</translation>
    </message>
    <message>
        <source>{source}: {where}: give at least one class its level</source>
        <translation>{source} : {where} : donnez son niveau à au moins une classe</translation>
    </message>
    <message>
        <source>{source}: {where}: {value} may not be brighter than {brighter}</source>
        <translation>{source} : {where} : {value} ne peut pas éclairer plus que {brighter}</translation>
    </message>
    <message>
        <source>{source}: {where}: a level from 0.0 to 1.0</source>
        <translation>{source} : {where} : un niveau de 0,0 à 1,0</translation>
    </message>
    <message>
        <source>{source}: {where}: the policy has no profile</source>
        <translation>{source} : {where} : la politique n&apos;a aucun profil</translation>
    </message>
    <message>
        <source>{source}: {where}: no profile is called &apos;{value}&apos;</source>
        <translation>{source} : {where} : aucun profil ne s&apos;appelle « {value} »</translation>
    </message>
    <message>
        <source>{source}: {where}: a profile needs at least one period</source>
        <translation>{source} : {where} : un profil demande au moins une période</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a moment such as dusk, dusk+3h or dawn-1h30</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas un moment comme dusk, dusk+3h ou dawn-1h30</translation>
    </message>
    <message>
        <source>{source}: {where}: class &apos;{value}&apos; has no level in [levels]</source>
        <translation>{source} : {where} : la classe « {value} » n&apos;a pas de niveau dans [levels]</translation>
    </message>
    <message>
        <source>{source}: {where}: one series of classes per profile, not {value}</source>
        <translation>{source} : {where} : une seule série de classes par profil, pas {value}</translation>
    </message>
    <message>
        <source>{source}: {where}: presence raises the lights by 0, 1 or 2 classes</source>
        <translation>{source} : {where} : la présence relève l&apos;éclairage de 0, 1 ou 2 classes</translation>
    </message>
    <message>
        <source>{source}: {where}: presence holds the boost from 1 to {limit} minutes</source>
        <translation>{source} : {where} : la présence maintient la relance de 1 à {limit} minutes</translation>
    </message>
    <message>
        <source>{source}: {where}: name the communes or the groups it assigns</source>
        <translation>{source} : {where} : nommez les communes ou les groupes qu&apos;elle affecte</translation>
    </message>
    <message>
        <source>{source}: {where}: {value} is not a commune of the métropole</source>
        <translation>{source} : {where} : {value} n&apos;est pas une commune de la métropole</translation>
    </message>
    <message>
        <source>{source}: {where}: {value} is already assigned a profile</source>
        <translation>{source} : {where} : {value} a déjà un profil</translation>
    </message>
    <message>
        <source>{source}: {where}: a snow level from 0 to 3, not {value}</source>
        <translation>{source} : {where} : un niveau neige de 0 à 3, pas {value}</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a traffic mode</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas un mode de circulation</translation>
    </message>
    <message>
        <source>{source}: {where}: name the communes or the groups of the event</source>
        <translation>{source} : {where} : nommez les communes ou les groupes de l&apos;événement</translation>
    </message>
    <message>
        <source>{source}: {where}: a date and time with its offset, e.g. 2026-12-31T17:00:00+01:00</source>
        <translation>{source} : {where} : une date et une heure avec leur décalage, par exemple 2026-12-31T17:00:00+01:00</translation>
    </message>
    <message>
        <source>{source}: {where}: the event ends before it begins</source>
        <translation>{source} : {where} : l&apos;événement finit avant de commencer</translation>
    </message>
    <message>
        <source>{source}: {where}: a list is expected</source>
        <translation>{source} : {where} : une liste est attendue</translation>
    </message>
    <message>
        <source>{source}: {where}: a list of texts is expected</source>
        <translation>{source} : {where} : une liste de textes est attendue</translation>
    </message>
    <message>
        <source>the lighting policy, or the groups it reaches, changed since this request was made: nothing was sent; apply the policy again to ask anew</source>
        <translation>la politique d&apos;éclairage, ou les groupes qu&apos;elle atteint, ont changé depuis cette demande : rien n&apos;a été envoyé ; appliquez de nouveau la politique pour redemander</translation>
    </message>
    <message>
        <source>not a valid dimming profile: {detail}</source>
        <translation>profil de gradation invalide : {detail}</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: no dataset is called &apos;{value}&apos; (known: {known})</source>
        <translation>réglage « {key} » : aucun jeu de données ne s&apos;appelle « {value} » (connus : {known})</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is never published: the positions and tracks of units would tell where the police and the crews are</source>
        <translation>réglage « {key} » : « {value} » n&apos;est jamais publié : les positions et les traces des unités diraient où sont la police et les équipes</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is never published: callers&apos; and reporters&apos; personal data stay in the record, for the task alone</source>
        <translation>réglage « {key} » : « {value} » n&apos;est jamais publié : les données personnelles des appelants et des déclarants restent dans le registre, pour la seule mission</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is never published: what people wrote in their reports may name them or others</source>
        <translation>réglage « {key} » : « {value} » n&apos;est jamais publié : ce que les gens ont écrit dans leurs signalements peut les nommer, eux ou d&apos;autres</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is never published: photos show people, faces and plates</source>
        <translation>réglage « {key} » : « {value} » n&apos;est jamais publié : les photos montrent des personnes, des visages et des plaques</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is never published: operators&apos; names and their journal are the room&apos;s, not the public&apos;s</source>
        <translation>réglage « {key} » : « {value} » n&apos;est jamais publié : les noms des opérateurs et leur journal appartiennent à la salle, pas au public</translation>
    </message>
    <message>
        <source>setting &apos;{key}&apos;: &apos;{value}&apos; is never published: what cameras were looked at, by whom and why is accountability for the CNIL, not open data</source>
        <translation>réglage « {key} » : « {value} » n&apos;est jamais publié : quelles caméras ont été regardées, par qui et pourquoi relève du contrôle de la CNIL, pas des données ouvertes</translation>
    </message>
    <message>
        <source>this database holds history already ({tables}): a backfill writes into an empty one only; nothing was written</source>
        <translation>cette base contient déjà un historique ({tables}) : le rattrapage n&apos;écrit que dans une base vide ; rien n&apos;a été écrit</translation>
    </message>
    <message>
        <source>a backfill of {value} days: from 1 to {maximum}</source>
        <translation>un rattrapage de {value} jours : de 1 à {maximum}</translation>
    </message>
    <message>
        <source>no scale is called &apos;{value}&apos; (known: {known})</source>
        <translation>aucune échelle ne s&apos;appelle « {value} » (connues : {known})</translation>
    </message>
    <message>
        <source>{value} incidents a day: zero or more</source>
        <translation>{value} incidents par jour : zéro ou plus</translation>
    </message>
    <message>
        <source>a history ending at {value} would end in the future</source>
        <translation>un historique finissant à {value} finirait dans le futur</translation>
    </message>
    <message>
        <source>applying a lighting policy needs its reason</source>
        <translation>appliquer une politique d&apos;éclairage demande un motif</translation>
    </message>
    <message>
        <source>no street-light group is known yet: nothing to apply the policy to</source>
        <translation>aucun groupe d&apos;éclairage n&apos;est encore connu : rien à quoi appliquer la politique</translation>
    </message>
    <message>
        <source>a handover&apos;s remarks are at most {maximum} characters</source>
        <translation>les remarques d&apos;une passation font au plus {maximum} caractères</translation>
    </message>
    <message>
        <source>no handover {id}</source>
        <translation>aucune passation {id}</translation>
    </message>
    <message>
        <source>no handover yet</source>
        <translation>aucune passation pour l&apos;instant</translation>
    </message>
    <message>
        <source>refused: {operator} handed over shift {id}; another operator, logged in as themselves, accepts it</source>
        <translation>refusé : {operator} est l&apos;auteur de la passation {id} ; un autre opérateur, connecté sous son propre nom, doit l&apos;accepter</translation>
    </message>
    <message>
        <source>handover {id} was already accepted by {by}</source>
        <translation>la passation {id} a déjà été acceptée par {by}</translation>
    </message>
    <message>
        <source>figures have no dimension {dimension} (known: {known})</source>
        <translation>les chiffres n&apos;ont pas de dimension {dimension} (connues : {known})</translation>
    </message>
    <message>
        <source>&apos;{group}&apos; is not a share group: 1 to 64 letters, digits, &apos;_&apos; or &apos;-&apos;</source>
        <translation>« {group} » n&apos;est pas un groupe de partage : 1 à 64 lettres, chiffres, « _ » ou « - »</translation>
    </message>
    <message>
        <source>--share needs PostgreSQL: recorders sharing the flow write one database at once, and {url} is not PostgreSQL; nothing was started</source>
        <translation>--share demande PostgreSQL : des enregistreurs qui se partagent le flux écrivent ensemble dans une même base, et {url} n&apos;est pas PostgreSQL ; rien n&apos;a été lancé</translation>
    </message>
    <message>
        <source>the broker {url} does not serve shared subscriptions ($share/{group}/...): a probe sent through one never came back; use a broker that does (Mosquitto, EMQX, HiveMQ, VerneMQ) or run without --share; nothing was started</source>
        <translation>le broker {url} ne sert pas les abonnements partagés ($share/{group}/...) : une sonde envoyée par l&apos;un d&apos;eux n&apos;est jamais revenue ; utilisez un broker qui les sert (Mosquitto, EMQX, HiveMQ, VerneMQ) ou lancez sans --share ; rien n&apos;a été lancé</translation>
    </message>
    <message>
        <source>left the share group {group}: the other members take the flow; recording what the broker still held for this recorder</source>
        <translation>groupe de partage {group} quitté : les autres membres prennent le flux ; enregistrement de ce que le broker gardait encore pour cet enregistreur</translation>
    </message>
    <message>
        <source>could not leave the share group {group} (the broker is away or did not answer): its part of the flow waits in this recorder&apos;s session until it starts again with the same --id</source>
        <translation>impossible de quitter le groupe de partage {group} (le broker est absent ou n&apos;a pas répondu) : sa part du flux attend dans la session de cet enregistreur jusqu&apos;à ce qu&apos;il redémarre avec le même --id</translation>
    </message>
    <message>
        <source>{source} is not valid TOML: {reason}</source>
        <translation>{source} n&apos;est pas du TOML valide : {reason}</translation>
    </message>
    <message>
        <source>&apos;{name}&apos;: an admin cannot disable or re-role themselves; ask another admin</source>
        <translation>« {name} » : un admin ne peut ni se désactiver ni changer son propre rôle ; demandez à un autre admin</translation>
    </message>
    <message>
        <source>refused: name or password not accepted for &apos;{operator}&apos;</source>
        <translation>refusé : nom ou mot de passe non accepté pour « {operator} »</translation>
    </message>
    <message>
        <source>a password has at least {minimum} characters</source>
        <translation>un mot de passe compte au moins {minimum} caractères</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a snow level (0 to 3)</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas un niveau du plan neige (0 à 3)</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a traffic mode (normal, peak, event, incident, snow)</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas un mode de circulation (normal, peak, event, incident, snow)</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a commune of the métropole</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une commune de la métropole</translation>
    </message>
    <message>
        <source>{source}: {where}: a group needs intersections or communes</source>
        <translation>{source} : {where} : un groupe demande des carrefours ou des communes</translation>
    </message>
    <message>
        <source>{source}: {where}: declare the plans the group&apos;s controllers know</source>
        <translation>{source} : {where} : déclarez les plans que connaissent les contrôleurs du groupe</translation>
    </message>
    <message>
        <source>{source}: {where}: true or false</source>
        <translation>{source} : {where} : true ou false</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a map layer</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une couche de la carte</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a perspective</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une perspective</translation>
    </message>
    <message>
        <source>{source}: {where}: group &apos;{value}&apos; is not declared under [groups]</source>
        <translation>{source} : {where} : le groupe « {value} » n&apos;est pas déclaré sous [groups]</translation>
    </message>
    <message>
        <source>{source}: {where}: plan &apos;{value}&apos; is not one that group &apos;{group}&apos; declares</source>
        <translation>{source} : {where} : le plan « {value} » n&apos;est pas un de ceux que déclare le groupe « {group} »</translation>
    </message>
    <message>
        <source>{source}: {where}: say either commune = &quot;INSEE&quot; or group = &quot;id&quot;</source>
        <translation>{source} : {where} : indiquez soit commune = &quot;INSEE&quot;, soit group = &quot;id&quot;</translation>
    </message>
    <message>
        <source>{source}: {where}: say power = &quot;on&quot; or &quot;off&quot;, level = 0.0 to 1.0, or both</source>
        <translation>{source} : {where} : indiquez power = &quot;on&quot; ou &quot;off&quot;, level = 0.0 à 1.0, ou les deux</translation>
    </message>
    <message>
        <source>{source}: {where}: &quot;on&quot; or &quot;off&quot;</source>
        <translation>{source} : {where} : &quot;on&quot; ou &quot;off&quot;</translation>
    </message>
    <message>
        <source>{source}: {where}: a lighting level from 0.0 to 1.0</source>
        <translation>{source} : {where} : un niveau d&apos;éclairage de 0.0 à 1.0</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a command (known: {known})</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une commande (connues : {known})</translation>
    </message>
    <message>
        <source>{source}: {where}: say type and id, or group</source>
        <translation>{source} : {where} : indiquez type et id, ou group</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{command}&apos; does not apply to {type}</source>
        <translation>{source} : {where} : « {command} » ne s&apos;applique pas à {type}</translation>
    </message>
    <message>
        <source>{source}: {where}: parameters the command refuses: {value}</source>
        <translation>{source} : {where} : paramètres refusés par la commande : {value}</translation>
    </message>
    <message>
        <source>{source}: {where}: a duration such as &quot;+6h&quot;</source>
        <translation>{source} : {where} : une durée comme &quot;+6h&quot;</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a priority (P1 to P4)</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une priorité (P1 à P4)</translation>
    </message>
    <message>
        <source>{source}: {where}: a whole number of minutes</source>
        <translation>{source} : {where} : un nombre entier de minutes</translation>
    </message>
    <message>
        <source>{source}: {where}: a table is expected</source>
        <translation>{source} : {where} : une table est attendue</translation>
    </message>
    <message>
        <source>{source}: {where}: a list of tables ([[…]]) is expected</source>
        <translation>{source} : {where} : une liste de tables ([[…]]) est attendue</translation>
    </message>
    <message>
        <source>{source}: {where}: a list of strings is expected</source>
        <translation>{source} : {where} : une liste de chaînes est attendue</translation>
    </message>
    <message>
        <source>{source}: {where}: &apos;{value}&apos; is not a playbook key</source>
        <translation>{source} : {where} : « {value} » n&apos;est pas une clé du plan d&apos;action</translation>
    </message>
</context>
<context>
    <name>modes</name>
    <message>
        <source>Roll back the {kind}</source>
        <extracomment>How often a switch&apos;s answers are looked at while its dialog follows it.</extracomment>
        <translation>Revenir en arrière : {kind}</translation>
    </message>
    <message>
        <source>Switch the {kind}</source>
        <translation>Basculer : {kind}</translation>
    </message>
    <message>
        <source>Switch to {target}</source>
        <translation>Basculer en {target}</translation>
    </message>
    <message>
        <source>{kind}: {value}, {who} is switching it to {target}</source>
        <translation>{kind} : {value}, {who} bascule vers {target}</translation>
    </message>
    <message>
        <source>{kind}: {value} ({state}) since {since} by {by}</source>
        <translation>{kind} : {value} ({state}) depuis {since} par {by}</translation>
    </message>
    <message>
        <source>Roll the {kind} back from {current} to {target}: {title}</source>
        <translation>Retour arrière ({kind}) de {current} à {target} : {title}</translation>
    </message>
    <message>
        <source>Switch the {kind} from {current} to {target}: {title}</source>
        <translation>Basculer ({kind}) de {current} à {target} : {title}</translation>
    </message>
    <message>
        <source>No command: the playbook changes nothing in the field.</source>
        <translation>Aucune commande : le plan d&apos;action ne change rien sur le terrain.</translation>
    </message>
    <message>
        <source>{count} device(s): {places}</source>
        <translation>{count} équipement(s) : {places}</translation>
    </message>
    <message>
        <source>SLA {priority}: {before} min → {after} min</source>
        <translation>Délai {priority} : {before} min → {after} min</translation>
    </message>
    <message>
        <source>Bus priority: on</source>
        <translation>Priorité bus : active</translation>
    </message>
    <message>
        <source>Bus priority: off</source>
        <translation>Priorité bus : coupée</translation>
    </message>
    <message>
        <source>warning: Vigie has never heard of {id}; sent all the same</source>
        <translation>attention : Vigie ne connaît pas {id} ; envoyé quand même</translation>
    </message>
    <message>
        <source>warning: no known device in {target}; sent all the same</source>
        <translation>attention : aucun équipement connu dans {target} ; envoyé quand même</translation>
    </message>
    <message>
        <source>not undone: the {command} command to {target} ({devices} device(s)) ends by itself at {until}</source>
        <translation>non annulé : la commande {command} vers {target} ({devices} équipement(s)) prend fin d&apos;elle-même à {until}</translation>
    </message>
    <message>
        <source>not undone: the {command} command to {target} ({devices} device(s)) stays: the previous entry says nothing of it</source>
        <translation>non annulé : la commande {command} vers {target} ({devices} équipement(s)) reste en place : l&apos;entrée précédente n&apos;en dit rien</translation>
    </message>
    <message>
        <source>{finished} of {total} command(s) answered</source>
        <translation>{finished} commande(s) sur {total} ont répondu</translation>
    </message>
    <message>
        <source>{kind} {value}: {state} ({ok} of {devices} device(s) done, {failed} failed, {silent} gateway(s) silent)</source>
        <translation>{kind} {value} : {state} ({ok} équipement(s) sur {devices} faits, {failed} en échec, {silent} passerelle(s) muette(s))</translation>
    </message>
    <message>
        <source>  no answer from: {devices}</source>
        <translation>  pas de réponse de : {devices}</translation>
    </message>
</context>
<context>
    <name>report</name>
    <message>
        <source>Daily report of the control room</source>
        <translation>Rapport journalier de la salle de supervision</translation>
    </message>
    <message>
        <source>Vigie — unified control room</source>
        <translation>Vigie — centre de supervision urbain</translation>
    </message>
    <message>
        <source>The day from midnight to midnight, room time ({zone}).</source>
        <translation>La journée de minuit à minuit, heure de la salle ({zone}).</translation>
    </message>
    <message>
        <source>Produced on {at} by {operator}.</source>
        <translation>Établi le {at} par {operator}.</translation>
    </message>
    <message>
        <source>{first}, then {last}</source>
        <translation>{first}, puis {last}</translation>
    </message>
    <message>
        <source>The day at a glance</source>
        <translation>La journée en bref</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>of which {urgent} P1 (urgent) and {high} P2 (high priority)</source>
        <translation>dont {urgent} P1 (urgence) et {high} P2 (priorité haute)</translation>
    </message>
    <message>
        <source>Hotline calls</source>
        <translation>Appels à la ligne citoyenne</translation>
    </message>
    <message>
        <source>incidents reported by phone</source>
        <translation>incidents signalés par téléphone</translation>
    </message>
    <message>
        <source>Targets kept</source>
        <translation>Délais tenus</translation>
    </message>
    <message>
        <source>{within} in time; {missed} late (resolved late or still open past target)</source>
        <translation>{within} dans les délais ; {missed} en retard (résolus en retard ou encore ouverts hors délai)</translation>
    </message>
    <message>
        <source>no incident resolved or past its target yet</source>
        <translation>aucun incident résolu ni hors délai pour l&apos;instant</translation>
    </message>
    <message>
        <source>Still open and past target</source>
        <translation>Encore ouverts, délai dépassé</translation>
    </message>
    <message>
        <source>when this report was made</source>
        <translation>à l&apos;établissement de ce rapport</translation>
    </message>
    <message>
        <source>Time to acknowledge</source>
        <translation>Délai de prise en compte</translation>
    </message>
    <message>
        <source>Time to resolve</source>
        <translation>Délai de résolution</translation>
    </message>
    <message>
        <source>median; 9 in 10 within {p90}</source>
        <translation>médiane ; 9 sur 10 en moins de {p90}</translation>
    </message>
    <message>
        <source>Commands sent</source>
        <translation>Commandes envoyées</translation>
    </message>
    <message>
        <source>{done} done, {not_done} not done</source>
        <translation>{done} abouties, {not_done} non abouties</translation>
    </message>
    <message>
        <source>Mode switches</source>
        <translation>Changements de mode</translation>
    </message>
    <message>
        <source>snow plan and traffic mode</source>
        <translation>plan neige et mode de circulation</translation>
    </message>
    <message>
        <source>Street lights in fault</source>
        <translation>Points lumineux en panne</translation>
    </message>
    <message>
        <source>at some time of the day</source>
        <translation>à un moment de la journée</translation>
    </message>
    <message>
        <source>Snow operations</source>
        <translation>Opérations de viabilité hivernale</translation>
    </message>
    <message>
        <source>{within} of {segments} main roads treated within target</source>
        <translation>{within} axes principaux sur {segments} traités dans les délais</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>not shown to this role</source>
        <translation>non montré à ce rôle</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Aucun.</translation>
    </message>
    <message>
        <source>Incidents by category</source>
        <translation>Incidents par catégorie</translation>
    </message>
    <message>
        <source>Modes switched during the day</source>
        <translation>Modes changés dans la journée</translation>
    </message>
    <message>
        <source>{time} {kind}: {change}, by {operator}: {why}</source>
        <translation>{time} {kind} : {change}, par {operator} : {why}</translation>
    </message>
    <message>
        <source>and {count} more, in the detail.</source>
        <translation>et {count} autres, dans le détail.</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <source>Incidents by commune</source>
        <translation>Incidents par commune</translation>
    </message>
    <message>
        <source>Incidents by priority and targets kept</source>
        <translation>Incidents par priorité et délais tenus</translation>
    </message>
    <message>
        <source>Time to acknowledge and to resolve</source>
        <translation>Délais de prise en compte et de résolution</translation>
    </message>
    <message>
        <source>Hotline calls by category</source>
        <translation>Appels à la ligne citoyenne par catégorie</translation>
    </message>
    <message>
        <source>Modes switched</source>
        <translation>Changements de mode</translation>
    </message>
    <message>
        <source>Who switched the city&apos;s modes is not shown to this role.</source>
        <translation>Qui a changé les modes de la ville n&apos;est pas montré à ce rôle.</translation>
    </message>
    <message>
        <source>Commands sent and their outcomes</source>
        <translation>Commandes envoyées et leur issue</translation>
    </message>
    <message>
        <source>Equipment availability</source>
        <translation>Disponibilité des équipements</translation>
    </message>
    <message>
        <source>Snow operations and salt</source>
        <translation>Viabilité hivernale et sel</translation>
    </message>
    <message>
        <source>No snow operation touched this day.</source>
        <translation>Aucune opération de viabilité hivernale ce jour.</translation>
    </message>
    <message>
        <source>Camera views by purpose</source>
        <translation>Visionnages de caméras par finalité</translation>
    </message>
    <message>
        <source>Counts only: who watched what is in the camera journal (vigie audit views).</source>
        <translation>Nombres seulement : qui a regardé quoi figure au journal des caméras (vigie audit views).</translation>
    </message>
    <message>
        <source>Camera views are not shown to this role.</source>
        <translation>Les visionnages de caméras ne sont pas montrés à ce rôle.</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Appels</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Part</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Délai cible</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Résolus</translation>
    </message>
    <message>
        <source>Within target</source>
        <translation>Dans les délais</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>En retard</translation>
    </message>
    <message>
        <source>Open, past target</source>
        <translation>Ouverts, délai dépassé</translation>
    </message>
    <message>
        <source>Targets kept: the incidents resolved within target, out of those resolved within target, resolved late or still open past target (an incident still open within its target is not counted yet).</source>
        <translation>Délais tenus : les incidents résolus dans les délais, parmi ceux résolus dans les délais, résolus en retard ou encore ouverts hors délai (un incident encore ouvert dans son délai n&apos;est pas encore compté).</translation>
    </message>
    <message>
        <source>Acknowledge, median</source>
        <translation>Prise en compte, médiane</translation>
    </message>
    <message>
        <source>Acknowledge, 90 %</source>
        <translation>Prise en compte, 90 %</translation>
    </message>
    <message>
        <source>Resolve, median</source>
        <translation>Résolution, médiane</translation>
    </message>
    <message>
        <source>Resolve, 90 %</source>
        <translation>Résolution, 90 %</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Changement</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Sent to</source>
        <translation>Destinataire</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>Lights in fault</source>
        <translation>Points lumineux en panne</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Finalité</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Visionnages</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Indicateur</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>(no commune)</source>
        <translation>(sans commune)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tous</translation>
    </message>
    <message>
        <source>{count} others</source>
        <translation>{count} autres</translation>
    </message>
    <message>
        <source>Lights repaired during the day: {count}; time to repair: median {median}, 9 in 10 within {p90}.</source>
        <translation>Points lumineux réparés dans la journée : {count} ; délai de réparation : médiane {median}, 9 sur 10 en moins de {p90}.</translation>
    </message>
    <message>
        <source>No light was repaired during the day.</source>
        <translation>Aucun point lumineux n&apos;a été réparé dans la journée.</translation>
    </message>
    <message>
        <source>Snow operations under way</source>
        <translation>Opérations de viabilité hivernale en cours</translation>
    </message>
    <message>
        <source>Main roads watched</source>
        <translation>Axes principaux suivis</translation>
    </message>
    <message>
        <source>Roads treated (at least one pass)</source>
        <translation>Axes traités (au moins un passage)</translation>
    </message>
    <message>
        <source>Roads treated within target</source>
        <translation>Axes traités dans les délais</translation>
    </message>
    <message>
        <source>Passes of spreaders and ploughs</source>
        <translation>Passages de saleuses et chasse-neige</translation>
    </message>
    <message>
        <source>Salt used</source>
        <translation>Sel consommé</translation>
    </message>
    <message>
        <source>Brine used</source>
        <translation>Saumure consommée</translation>
    </message>
    <message>
        <source>no stock reading</source>
        <translation>aucun relevé de stock</translation>
    </message>
    <message>
        <source>An incident</source>
        <translation>Un incident</translation>
    </message>
    <message>
        <source>Another purpose</source>
        <translation>Une autre finalité</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days} j</translation>
    </message>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days} j {hours} h</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>Page {page} sur {pages}</translation>
    </message>
    <message>
        <source>groups of devices</source>
        <extracomment>A command&apos;s target type (``commands.target_type``: an equipment type, a group or a unit).</extracomment>
        <translation>groupes d&apos;équipements</translation>
    </message>
    <message>
        <source>units (dispatches)</source>
        <translation>unités (engagements)</translation>
    </message>
</context>
</TS>
