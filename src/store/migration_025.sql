-- Migration 25 (persons): each pair of two name keys of a person is kept
-- once, its smaller key first, where migration 15 kept it in both orders
-- (about twenty rows a person, with an index by person: a fifth of what
-- registering or importing a person wrote). The search still finds the
-- pairs of a word sorting after its pair by one lookup per key of the
-- other word's range (store/persons.c, pair_search).
DELETE FROM person_name_pairs WHERE k1 > k2;
