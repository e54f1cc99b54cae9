/*
 * demo.h — the demo dataset behind `awda demo`.
 *
 * A fixed, realistic set of offices, staff and about 120 cases (about 200
 * persons) drawn from the programmes of the design's source documents: migrants in Egypt
 * returning to Sudan, Ethiopia, Eritrea and beyond, Egyptians coming home
 * from Europe, migrants in Tamanrasset and Algiers returning to Mali,
 * Guinea and Burkina Faso, and returnees registered in Mali for
 * reintegration. Everything goes through the application layer, so every
 * validation rule applies exactly as it does for the API.
 *
 * Part of the cases is then walked along the return journey, with the real
 * records and steps (every guard applies), to every stage up to ready, with
 * some on hold, withdrawn and closed; two country restrictions are recorded
 * (approval required for Kidal, Mali; suspended for North Darfur, Sudan).
 * Two more households (Cairo -> Khartoum, Tamanrasset -> Bamako) stay
 * registered for a person to walk home with the demo users, step by step
 * as the README says. Last, a charter from Tamanrasset via Algiers to
 * Bamako and a scheduled flight from Cairo to Khartoum are planned with
 * their passengers (data/demo/movements.json, demo_movements.c).
 */
#ifndef AWDA_DEMO_H
#define AWDA_DEMO_H
#include "../app/app.h"
#include <stdio.h>

/* Loads the demo dataset through the application layer (every rule
 * applies). Writes one line per created user to out as
 * "user: NAME  role: ROLE  office: CODE  password: SECRET". Returns 0 on
 * success, -1 with a message on stderr on the first failure (for a step
 * refused by its guards: every unmet requirement). Refuses (returns -1)
 * when the database already holds cases. Ends with a line on stderr that
 * counts the cases per stage and one that names the cases to look at.
 *
 * Offices and users that already exist (a previous load interrupted before
 * its cases) are kept as they are: a note goes to stderr and no password
 * line is written for such a user. The cases are the same on every run
 * (a fixed seed); only the dates follow today (the dates of birth, so the
 * ages stay what the dataset means them to be; the journey's dates, so
 * sessions lie in the past weeks and departures one to four weeks ahead).
 * The passwords come from libsodium's random generator and differ on every
 * run.
 *
 * The dataset is read from data_dir, or AWDA_DEMO_DATA, or beside the
 * binary (see demo_data.c and data/demo/README.md); every file is read and
 * checked before anything is written: a missing or bad file is named on
 * stderr with its problem, and nothing changes. */
int awda_demo_load(app_t *app, FILE *out, const char *data_dir);

#endif
