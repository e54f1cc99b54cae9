/*
 * webroot.c — where `awda serve` finds the web interface (see webroot.h).
 *
 * The server must not depend on the directory it is started from. With no
 * web_root setting (--web-root, AWDA_WEB_ROOT, the config file), it looks,
 * in order, in:
 *
 *   1. <directory of the binary>/web — `make` builds build/web beside
 *      build/awda (and links build/asan/web to it for the ASan build);
 *   2. <directory of the binary>/../share/awda/web — where
 *      `make install PREFIX=...` puts it beside PREFIX/bin/awda.
 *
 * The binary's directory comes from /proc/self/exe. A directory counts
 * only when it holds index.html (what static.c serves for "/"). A
 * web_root that is set is used alone: when it holds no interface either,
 * the server still starts, logs it, and "/" explains how to build it.
 */
#include "webroot.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int holds_interface(const char *dir)
{
    char index[PATH_MAX + 16];
    struct stat st;
    snprintf(index, sizeof index, "%s/index.html", dir);
    return stat(index, &st) == 0 && S_ISREG(st.st_mode);
}

/* Appends dir to the list of places looked in ("a, b"). */
static void tried_add(char *tried, size_t cap, const char *dir)
{
    size_t n = strlen(tried);
    if (n < cap)
        snprintf(tried + n, cap - n, "%s%s", n ? ", " : "", dir);
}

static int try_dir(const char *dir, char *out, size_t cap, char *tried, size_t tcap)
{
    tried_add(tried, tcap, dir);
    if (!holds_interface(dir) || strlen(dir) >= cap)
        return 0;
    memcpy(out, dir, strlen(dir) + 1);
    return 1;
}

int awda_find_web_root(const char *configured, char *out, size_t cap, char *tried, size_t tcap)
{
    out[0] = '\0';
    if (tcap)
        tried[0] = '\0';
    if (configured && *configured)
        return try_dir(configured, out, cap, tried, tcap);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    static const char *const BESIDE[] = {"/web", "/../share/awda/web", NULL};
    for (int i = 0; BESIDE[i]; i++) {
        char dir[PATH_MAX + 32];
        snprintf(dir, sizeof dir, "%s%s", exe, BESIDE[i]);
        if (try_dir(dir, out, cap, tried, tcap))
            return 1;
    }
    return 0;
}
