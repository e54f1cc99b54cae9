/*
 * static.c — serves the web interface (the files under web_root) for GET
 * and HEAD requests outside /api/.
 *
 * The interface is a single-page application built by `make web` into
 * build/web: index.html, content-hashed assets (app.3f9c0a1b.js,
 * i18n/ar.5d2e….json) and, beside each, pre-compressed copies (.br, .gz).
 * static_handle() maps a request onto that tree:
 *
 *   - Path safety. The path (already percent-decoded by http.c, control
 *     bytes already refused) must be at most AWDA_MAX_STATIC_PATH bytes of
 *     [A-Za-z0-9._-/], with no empty segment and no segment starting with
 *     '.', so "..", hidden files and encoded tricks never reach the file
 *     system. The file is then opened one component at a time with
 *     openat(O_NOFOLLOW) from a descriptor of the web root, so a symbolic
 *     link inside the tree cannot lead out of it; it must be a regular file
 *     of at most AWDA_MAX_STATIC_FILE bytes.
 *   - SPA fallback. "/" and any path whose last segment has no '.' (a
 *     client-side route such as /cases/0192…) get index.html; a missing
 *     file with an extension is a 404, so a stale asset is never answered
 *     with HTML.
 *   - Caching. A name with a content hash (".<8 or more hex digits>."
 *     before the extension) is sent with "public, max-age=31536000,
 *     immutable"; anything else (index.html) with "no-cache", so a new
 *     build is picked up at the next load. Every file carries a strong ETag
 *     made of its size, modification time and encoding; If-None-Match
 *     answers 304 without a body.
 *   - Compression. When Accept-Encoding allows br (or gzip) and a
 *     "<file>.br" (or ".gz") exists beside the file, that copy is sent
 *     with Content-Encoding and "Vary: Accept-Encoding".
 *   - Headers. The Content-Security-Policy of API answers forbids
 *     everything; pages get one that allows only this origin's scripts,
 *     styles, images, fonts and fetches: still no inline script or style,
 *     no framing, no other origin.
 *
 * A web root without index.html is not a web interface: static_handle()
 * then declines and the API answers 404 as for any unknown address. When
 * the server found no web interface at all (no web_root: see
 * src/cli/webroot.c), "/" answers a short page in English, French and
 * Arabic saying how to build it (404: the interface is not there).
 */
#include "http.h"
#include "../util/limits.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_CSP                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "               \
    "frame-ancestors 'none'; base-uri 'none'"

static const struct {
    const char *ext;
    const char *type;
} MIME[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"txt", "text/plain; charset=utf-8"},
    {"webmanifest", "application/manifest+json"},
};

/* Replaces the value of a header already added (security_headers sets
 * Cache-Control and the CSP for API answers), or adds it. */
static void set_header(http_exchange_t *x, const char *name, const char *value)
{
    for (int i = 0; i < x->nheaders; i++)
        if (strcasecmp(x->hname[i], name) == 0) {
            snprintf(x->hvalue[i], sizeof x->hvalue[i], "%s", value);
            return;
        }
    http_add_header(x, name, value);
}

static const char *mime_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof MIME / sizeof MIME[0]; i++)
        if (strcmp(dot + 1, MIME[i].ext) == 0)
            return MIME[i].type;
    return NULL;
}

/* 1 when the path is made only of safe segments (see the top comment). */
static int path_ok(const char *p, size_t n)
{
    if (n == 0 || n > AWDA_MAX_STATIC_PATH || p[0] != '/')
        return 0;
    for (size_t i = 1; i < n; i++) {
        char ch = p[i];
        int seg_start = p[i - 1] == '/';
        if (seg_start && (ch == '/' || ch == '.'))
            return 0; /* empty segment, "..", hidden file */
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-' || ch == '/'))
            return 0;
    }
    return 1;
}

/* 1 when the last segment has a content hash: "name.<8+ hex>.ext". */
static int hashed_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *last = strrchr(base, '.');
    if (!last || last == base)
        return 0;
    const char *q = last - 1;
    size_t hex = 0;
    while (q > base && ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'))) {
        q--;
        hex++;
    }
    return hex >= 8 && *q == '.' && q > base;
}

/* Opens rel (no leading '/') beneath the directory dirfd, refusing any
 * symbolic link on the way. -1 when absent or not allowed. */
static int open_beneath(int dirfd, const char *rel)
{
    char part[AWDA_MAX_STATIC_PATH + 1];
    int fd = dup(dirfd);
    const char *s = rel;
    while (fd >= 0) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n == 0 || n >= sizeof part) {
            close(fd);
            return -1;
        }
        memcpy(part, s, n);
        part[n] = '\0';
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : 0);
        int next = openat(fd, part, flags);
        close(fd);
        fd = next;
        if (!slash)
            break;
        s = slash + 1;
    }
    return fd;
}

/* Reads the whole regular file fd (closed here) into *out; 0 on success. */
static int read_all(int fd, struct stat *st, char **out, size_t *len)
{
    *out = NULL;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size < 0 ||
        st->st_size > AWDA_MAX_STATIC_FILE) {
        close(fd);
        return -1;
    }
    size_t n = (size_t)st->st_size, got = 0;
    char *b = malloc(n ? n : 1);
    if (!b) {
        close(fd);
        return -1;
    }
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n) {
        free(b);
        return -1;
    }
    *out = b;
    *len = n;
    return 0;
}

/* 1 when the Accept-Encoding header lists coding with a q above zero. */
static int accepts(const char *header, const char *coding)
{
    if (!header)
        return 0;
    size_t cl = strlen(coding);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t tl = (size_t)(p - tok);
        int match = tl == cl && strncasecmp(tok, coding, cl) == 0;
        int zero = 0;
        while (*p && *p != ',') {
            if (*p == '=' && p[1] == '0') {
                const char *z = p + 2;
                if (*z == '.')
                    z++;
                while (*z == '0')
                    z++;
                zero = *z == '\0' || *z == ',' || *z == ' ' || *z == ';';
            }
            p++;
        }
        if (match && !zero)
            return 1;
    }
    return 0;
}

/* 1 when the If-None-Match header names etag (or is "*"). */
static int etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return 0;
    if (strcmp(inm, "*") == 0)
        return 1;
    size_t el = strlen(etag);
    for (const char *p = inm; (p = strstr(p, etag)) != NULL; p += el) {
        if ((p == inm || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') &&
            (p[el] == '\0' || p[el] == ',' || p[el] == ' '))
            return 1;
    }
    return 0;
}

/* The page "/" shows when the server found no web interface at start-up
 * (main.c logs where it looked): how to build it, in English, French and
 * Arabic. 404, since the interface is not there; the API works. */
static const char NO_WEB_PAGE[] =
    "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>awda</title></head>\n<body>\n"
    "<section lang=\"en\">\n<h1>The web interface is not built</h1>\n"
    "<p>awda is running and its API answers under /api/v1, but it found no web interface. "
    "In the source directory, run <code>make</code>: it builds the interface into build/web, "
    "beside build/awda, where awda finds it. An installed awda (<code>make install</code>) "
    "finds it in share/awda/web. Or start awda with <code>--web-root DIRECTORY</code>.</p>\n"
    "</section>\n"
    "<section lang=\"fr\">\n<h1>L’interface web n’est pas construite</h1>\n"
    "<p>awda fonctionne et son API répond sous /api/v1, mais il n’a trouvé aucune interface "
    "web. Dans le répertoire des sources, lancez <code>make</code> : il construit "
    "l’interface dans build/web, à côté de build/awda, où awda la trouve. Un awda installé "
    "(<code>make install</code>) la trouve dans share/awda/web. Ou démarrez awda avec "
    "<code>--web-root RÉPERTOIRE</code>.</p>\n"
    "</section>\n"
    "<section lang=\"ar\" dir=\"rtl\">\n<h1>لم تُبنَ واجهة الويب بعد</h1>\n"
    "<p>يعمل awda وتجيب واجهته البرمجية تحت <bdi>/api/v1</bdi>، لكنه لم يجد واجهة الويب. "
    "نفّذ الأمر <code>make</code> في مجلد المصدر: فهو يبني الواجهة في <bdi>build/web</bdi> "
    "بجانب <bdi>build/awda</bdi> حيث يجدها awda. أما awda المثبَّت "
    "(<code>make install</code>) فيجدها في <bdi>share/awda/web</bdi>. أو شغّل awda مع "
    "الخيار <code>--web-root</code> متبوعًا بمجلد الواجهة.</p>\n"
    "</section>\n</body>\n</html>\n";

static int missing_page(http_exchange_t *x)
{
    if ((strcmp(x->method, "GET") != 0 && strcmp(x->method, "HEAD") != 0) ||
        (strcmp(x->path, "/") != 0 && strcmp(x->path, "/index.html") != 0))
        return 0;
    x->out = strdup(NO_WEB_PAGE);
    if (!x->out)
        return 0;
    x->out_len = strlen(x->out);
    x->status = 404;
    x->ctype = "text/html; charset=utf-8";
    return 1;
}

int static_handle(const char *web_root, http_exchange_t *x)
{
    if (!web_root || !*web_root)
        return missing_page(x);
    if (strcmp(x->method, "GET") != 0 && strcmp(x->method, "HEAD") != 0)
        return 0;
    const char *path = x->path;
    size_t plen = strlen(path);
    if (!path_ok(path, plen))
        return 0;
    int root = open(web_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return 0;
    int handled = 0;
    char rel[AWDA_MAX_STATIC_PATH + 16];
    const char *base = strrchr(path, '/') + 1;
    int spa = strchr(base, '.') == NULL; /* "/" or a client-side route */
    const char *type;
    if (spa) {
        snprintf(rel, sizeof rel, "index.html");
        type = mime_of(rel);
    } else {
        snprintf(rel, sizeof rel, "%s", path + 1);
        type = mime_of(rel);
    }
    /* A web root must hold index.html to count as the interface. */
    struct stat ist;
    if (fstatat(root, "index.html", &ist, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(ist.st_mode) ||
        !type)
        goto done;

    const char *ae = http_header(x, "Accept-Encoding");
    const char *encoding = NULL;
    int fd = -1;
    static const char *const CODINGS[][2] = {{"br", ".br"}, {"gzip", ".gz"}};
    for (int i = 0; i < 2 && fd < 0; i++) {
        if (!accepts(ae, CODINGS[i][0]))
            continue;
        char enc[sizeof rel + 4];
        snprintf(enc, sizeof enc, "%s%s", rel, CODINGS[i][1]);
        fd = open_beneath(root, enc);
        if (fd >= 0)
            encoding = CODINGS[i][0];
    }
    if (fd < 0)
        fd = open_beneath(root, rel);
    if (fd < 0)
        goto done; /* a missing asset: the API's 404 */

    struct stat st;
    char *body;
    size_t len;
    if (read_all(fd, &st, &body, &len) != 0)
        goto done;
    handled = 1;
    char etag[96];
    snprintf(etag, sizeof etag, "\"%llx-%llx%s%s\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st.st_mtim.tv_nsec,
             encoding ? "-" : "", encoding ? encoding : "");
    set_header(x, "Content-Security-Policy", PAGE_CSP);
    set_header(x, "Cache-Control",
               !spa && hashed_name(rel) ? "public, max-age=31536000, immutable" : "no-cache");
    http_add_header(x, "ETag", etag);
    http_add_header(x, "Vary", "Accept-Encoding");
    if (etag_matches(http_header(x, "If-None-Match"), etag)) {
        free(body);
        x->status = 304;
        goto done;
    }
    if (encoding)
        http_add_header(x, "Content-Encoding", encoding);
    x->status = 200;
    x->ctype = type;
    x->out = body;
    x->out_len = len;
done:
    close(root);
    return handled;
}
