/*
 * cmd_duplicates.c — `awda duplicates reindex`: (re)computes the blocking
 * keys of the duplicates module (store/duplicates.c) for every person, in
 * batches of AWDA_DUP_REINDEX_BATCH persons, one transaction each, and
 * prints what it did (persons, keys, keys per person). Needed after the
 * keys' rules change, or for a database filled without them (a generated
 * benchmark database); a server makes the keys of persons written before
 * migration 21 by itself at start.
 */
#include "cli.h"
#include "../app/duplicates.h"
#include "../util/timeutil.h"
#include <string.h>
#include <unistd.h>

int cmd_duplicates(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : "";
    if (cli_wants_help(c) || strcmp(sub, "reindex") != 0) {
        printf("Usage: awda duplicates reindex [--db PATH]\n\n"
               "  reindex  recompute the duplicate-detection keys of every person\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 1) != 0)
        return 1;
    int tty = isatty(STDERR_FILENO);
    int64_t from = 1, next = 1;
    long total = 0, n;
    int64_t t0 = awda_now_ms();
    while ((n = app_duplicates_reindex(c->app, from, &next)) > 0) {
        total += n;
        from = next;
        if (tty)
            fprintf(stderr, "\r%ld persons", total);
    }
    if (tty)
        fprintf(stderr, "\n");
    long long keys = 0, persons = 0;
    int rc = n < 0 ? 1 : 0;
    if (n < 0)
        fprintf(stderr, "awda duplicates reindex: the keys could not be written\n");
    else if (app_duplicates_key_counts(c->app, &keys, &persons) == 0)
        printf("persons: %ld\nkeys: %lld\nkeys per person: %.1f\nseconds: %.1f\n", total, keys,
               persons ? (double)keys / (double)persons : 0.0,
               (double)(awda_now_ms() - t0) / 1000.0);
    cli_close_all(c);
    return rc;
}
