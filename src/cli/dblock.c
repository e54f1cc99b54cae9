/*
 * dblock.c — one writer process per database (see dblock.h).
 *
 * awda keeps state in memory that must match the database: the writer
 * thread continues the audit log's hash chain from the last hash it
 * wrote, and the sign-in throttle counts failures in memory. Two
 * processes writing one database would each continue the chain from
 * their own memory, and `awda audit verify` would then report tampering
 * that never happened. So `awda serve`, and every command that writes,
 * first takes an exclusive lock on "<database>.lock" (flock, released by
 * the kernel when the process ends, even on kill -9) and holds it for the
 * process's lifetime. The holder writes who it is into the file (pid,
 * command, address, start time) so that a refused process can name it.
 *
 * The lock file is never removed: removing it would let a third process
 * lock a new file while the second still waits on the old one.
 */
#include "dblock.h"
#include "../util/timeutil.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define HOLDER_MAX 512

static int g_fd = -1;

static void lock_path(const char *db, char *out, size_t cap)
{
    snprintf(out, cap, "%s.lock", db);
}

/* Replaces the file's contents with the holder's description. */
static void write_holder(const char *command, const char *listen)
{
    char text[HOLDER_MAX], since[32];
    awda_iso_ms(awda_now_ms(), since);
    int n = snprintf(text, sizeof text, "pid %ld\ncommand awda %s\n%s%s%ssince %s\n",
                     (long)getpid(), command, listen ? "listening on " : "", listen ? listen : "",
                     listen ? "\n" : "", since);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    if (ftruncate(g_fd, 0) != 0 || pwrite(g_fd, text, len, 0) != (ssize_t)len)
        return; /* the lock holds even when the description cannot be written */
}

/* The holder's description, one line, from the lock file. */
static void read_holder(int fd, char *out, size_t cap)
{
    char text[HOLDER_MAX];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    if (n <= 0) {
        snprintf(out, cap, "a process that has not yet said who it is");
        return;
    }
    text[n] = '\0';
    size_t w = 0;
    for (ssize_t i = 0; i < n && w + 2 < cap; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            if (i + 1 < n && w + 2 < cap) {
                out[w++] = ',';
                out[w++] = ' ';
            }
        } else if (c >= 0x20 && c != 0x7f) {
            out[w++] = (char)c;
        }
    }
    out[w] = '\0';
}

int awda_db_lock(const char *db, const char *command, const char *listen)
{
    char path[600];
    lock_path(db, path, sizeof path);
    if (g_fd >= 0) {
        write_holder(command, listen);
        return 0;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0) {
        fprintf(stderr, "awda: cannot open the lock file %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK) {
            char holder[HOLDER_MAX];
            read_holder(fd, holder, sizeof holder);
            fprintf(stderr,
                    "awda: the database %s is in use by another awda process (%s; lock file "
                    "%s).\nOnly one process may write to a database: stop that one first. While "
                    "a server runs, make changes through the web interface or the API.\n",
                    db, holder, path);
        } else {
            fprintf(stderr, "awda: cannot lock %s: %s\n", path, strerror(e));
        }
        close(fd);
        return -1;
    }
    g_fd = fd;
    write_holder(command, listen);
    return 0;
}

void awda_db_unlock(void)
{
    if (g_fd < 0)
        return;
    if (ftruncate(g_fd, 0) != 0) {
        /* nothing to do: the lock goes with the descriptor */
    }
    close(g_fd);
    g_fd = -1;
}
