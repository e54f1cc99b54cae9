/*
 * dblock.h — the lock that makes one process the only writer of a
 * database (dblock.c): `awda serve` and every command that writes hold
 * it for their lifetime.
 */
#ifndef AWDA_DBLOCK_H
#define AWDA_DBLOCK_H

/* Takes the exclusive lock "<db>.lock" for this process and records in it
 * who holds it (pid, "awda <command>", the address served when listen is
 * not NULL, since when). Called again by the holder, it only updates the
 * record (e.g. with the port actually bound). Returns 0, or -1 after
 * printing to stderr who holds the lock. */
int awda_db_lock(const char *db, const char *command, const char *listen);
/* Releases the lock (also released when the process ends). */
void awda_db_unlock(void);

#endif
