-- Migration 25 (persons): the pairs of name keys of migration 15 are
-- dropped. They let a prefix search of two common words with no person
-- in common cost a few seeks, but they were about twenty rows per person
-- (every ordered pair of two name keys, with an index by person): a fifth
-- of what registering or importing a person wrote. The prefix search is
-- the key scan again (store/persons.c), and the search that finds people
-- (store/person_search.c) gathers its candidates from whole words first.
DROP TABLE person_name_pairs;
