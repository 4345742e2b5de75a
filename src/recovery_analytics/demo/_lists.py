"""Reference lists of the demo: French names, sectors (NAF codes, name templates), départements.

Small and fixed: loops over them do not grow with the portfolio.
"""

from __future__ import annotations

__all__ = []


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SURNAMES = _words(
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
    "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel "
    "Mathieu Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun "
    "Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche "
    "Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud "
    "Dumas Lacroix Olivier Bourgeois Benoît Rey Leclerc Payet Rolland Lecomte Lopez Hoarau "
    "Grondin Hubert Berger Carpentier Moulin Huet Vasseur Boucher Fleury Royer Klein Poirier"
)


_FIRST_F = _words(
    "Marie Nathalie Isabelle Sylvie Catherine Claire Sophie Valérie Christine Sandrine Julie "
    "Camille Léa Manon Chloé Emma Inès Céline Aurélie Hélène Élodie Laura Pauline Amandine"
)


_FIRST_M = _words(
    "Jean Philippe Michel Alain Patrick Nicolas Christophe Pierre Laurent Stéphane Julien "
    "Thomas Lucas Hugo Maxime Antoine Kevin Sébastien Olivier Frédéric David Éric Yannick Théo"
)


# sector: (weight, quality shift, dispute odds multiplier, amount multiplier, NAF codes,
#          name templates as "prefix|suffix" around the surname, email domain word)
_SECTORS: tuple[tuple[float, float, float, float, tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        16,
        -0.35,
        2.0,
        1.5,
        ("41.20A", "41.20B", "43.21A", "43.22A", "43.31Z", "43.99C"),
        (
            "SARL | BTP",
            "| Bâtiment",
            "Entreprise |",
            "SAS | Construction",
            "Plomberie |",
            "Électricité |",
            "| et Fils Maçonnerie",
        ),
        "btp",
    ),
    (
        10,
        -0.10,
        1.0,
        0.9,
        ("47.11B", "47.11D", "47.11F", "47.71Z", "47.52A"),
        ("Épicerie |", "Supérette |", "| Distribution", "Boutique |", "Quincaillerie |"),
        "commerce",
    ),
    (
        6,
        -0.05,
        0.7,
        0.5,
        ("10.71C", "10.71D"),
        ("Boulangerie |", "Pâtisserie |", "Au Fournil de |"),
        "boulangerie",
    ),
    (
        9,
        -0.45,
        1.0,
        0.6,
        ("56.10A", "56.10C", "56.30Z"),
        ("Restaurant Chez |", "Brasserie |", "Le Bistrot |", "Café |"),
        "restauration",
    ),
    (
        7,
        -0.25,
        1.3,
        1.3,
        ("49.41A", "49.41B", "52.29A"),
        ("Transports |", "| Logistique", "SAS | Express"),
        "transports",
    ),
    (
        7,
        0.15,
        1.2,
        1.3,
        ("62.01Z", "62.02A"),
        ("| Informatique", "| Conseil SAS", "Digital |"),
        "informatique",
    ),
    (
        6,
        0.40,
        0.6,
        0.8,
        ("86.21Z", "86.23Z", "47.73Z"),
        ("Cabinet du Dr |", "Centre médical |", "Pharmacie |"),
        "sante",
    ),
    (6, -0.15, 1.0, 0.9, ("45.20A",), ("Garage |", "| Automobiles"), "garage"),
    (4, -0.20, 0.8, 0.4, ("96.02A",), ("Salon | Coiffure", "Coiffure |"), "coiffure"),
    (5, 0.00, 0.8, 1.1, ("01.11Z", "01.21Z"), ("EARL |", "GAEC |", "Domaine |"), "agri"),
    (4, -0.30, 0.9, 0.8, ("55.10Z",), ("Hôtel |", "Hôtel du Parc |"), "hotel"),
    (5, -0.20, 1.0, 0.8, ("81.21Z",), ("| Propreté", "SARL | Nettoyage"), "proprete"),
    (5, 0.20, 1.1, 1.2, ("70.22Z",), ("Cabinet | Conseil", "| Associés"), "conseil"),
    (4, 0.00, 1.2, 1.0, ("68.31Z",), ("Agence | Immobilier", "| Immobilier"), "immo"),
    (4, 0.10, 1.2, 1.6, ("25.62B",), ("| Mécanique", "Usinage |"), "industrie"),
    (2, 0.05, 1.0, 1.4, ("46.90Z",), ("| Négoce", "SAS | Diffusion"), "negoce"),
)


# département -> (weight, landline prefix, mobile prefix)
_DEPTS: dict[str, tuple[float, str, str]] = {
    "75": (8.0, "01", "06"),
    "92": (5.0, "01", "06"),
    "93": (4.0, "01", "06"),
    "94": (3.5, "01", "06"),
    "77": (3.0, "01", "06"),
    "78": (3.0, "01", "06"),
    "91": (3.0, "01", "06"),
    "95": (3.0, "01", "06"),
    "69": (5.0, "04", "06"),
    "13": (5.0, "04", "06"),
    "06": (3.0, "04", "06"),
    "34": (3.0, "04", "06"),
    "38": (2.5, "04", "06"),
    "83": (2.0, "04", "06"),
    "42": (1.5, "04", "06"),
    "74": (1.6, "04", "06"),
    "63": (1.3, "04", "06"),
    "30": (1.5, "04", "06"),
    "84": (1.1, "04", "06"),
    "2A": (0.5, "04", "06"),
    "2B": (0.4, "04", "06"),
    "33": (4.0, "05", "06"),
    "31": (3.5, "05", "06"),
    "64": (1.3, "05", "06"),
    "17": (1.0, "05", "06"),
    "87": (0.7, "05", "06"),
    "86": (0.9, "05", "06"),
    "59": (5.0, "03", "06"),
    "62": (3.0, "03", "06"),
    "67": (3.0, "03", "06"),
    "68": (1.5, "03", "06"),
    "57": (2.0, "03", "06"),
    "54": (1.4, "03", "06"),
    "51": (1.0, "03", "06"),
    "21": (1.0, "03", "06"),
    "60": (1.5, "03", "06"),
    "80": (1.0, "03", "06"),
    "44": (3.0, "02", "06"),
    "35": (2.5, "02", "06"),
    "29": (1.8, "02", "06"),
    "76": (2.5, "02", "06"),
    "14": (1.3, "02", "06"),
    "49": (1.6, "02", "06"),
    "56": (1.4, "02", "06"),
    "37": (1.2, "02", "06"),
    "45": (1.3, "02", "06"),
    "72": (1.1, "02", "06"),
    "971": (0.8, "0590", "0690"),
    "972": (0.7, "0596", "0696"),
    "974": (1.5, "0262", "0692"),
    "973": (0.3, "0594", "0694"),
}
