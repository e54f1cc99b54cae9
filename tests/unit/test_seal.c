/*
 * test_seal.c — sealing at rest (util/seal.c): what goes in comes out only
 * with the right key and the right place; any change to a sealed value,
 * or moving it to another record or field, makes it unreadable; the key
 * file round-trips with mode 0600 and rotation keeps old values readable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/util/seal.h"

static awda_keyring_t ring(void)
{
    awda_keyring_t kr;
    memset(&kr, 0, sizeof kr);
    assert_int_equal(awda_keyring_add(&kr), 0);
    return kr;
}

static void test_round_trip(void **state)
{
    (void)state;
    awda_keyring_t kr = ring();
    const char *plain = "diagnosis: malaria — الملاريا";
    char *s = awda_seal(&kr, plain, strlen(plain), "record|r1|diagnosis");
    assert_non_null(s);
    assert_true(awda_is_sealed(s));
    assert_int_equal(awda_sealed_version(s), 1);
    assert_null(strstr(s, "malaria"));
    char *back = awda_unseal(&kr, s, "record|r1|diagnosis");
    assert_non_null(back);
    assert_string_equal(back, plain);
    free(back);
    free(s);
}

static void test_same_plain_text_seals_differently(void **state)
{
    (void)state;
    awda_keyring_t kr = ring();
    char *a = awda_seal(&kr, "x", 1, "ad");
    char *b = awda_seal(&kr, "x", 1, "ad");
    assert_string_not_equal(a, b);
    free(a);
    free(b);
}

static void test_moved_value_does_not_open(void **state)
{
    (void)state;
    awda_keyring_t kr = ring();
    char *s = awda_seal(&kr, "secret", 6, "record|r1|diagnosis");
    assert_null(awda_unseal(&kr, s, "record|r2|diagnosis"));
    assert_null(awda_unseal(&kr, s, "record|r1|clinical_notes"));
    free(s);
}

static void test_altered_value_does_not_open(void **state)
{
    (void)state;
    awda_keyring_t kr = ring();
    char *s = awda_seal(&kr, "secret notes", 12, "ad");
    size_t n = strlen(s);
    s[n - 3] = s[n - 3] == 'A' ? 'B' : 'A';
    assert_null(awda_unseal(&kr, s, "ad"));
    free(s);
    assert_null(awda_unseal(&kr, "sealed:v1:!!!", "ad"));
    assert_null(awda_unseal(&kr, "sealed:v9:AAAA", "ad"));
    assert_false(awda_is_sealed("plain text"));
    assert_int_equal(awda_sealed_version("sealed:vx:"), -1);
}

static void test_other_key_does_not_open(void **state)
{
    (void)state;
    awda_keyring_t a = ring(), b = ring();
    char *s = awda_seal(&a, "secret", 6, "ad");
    assert_null(awda_unseal(&b, s, "ad"));
    free(s);
}

static void test_rotation_keeps_old_values_readable(void **state)
{
    (void)state;
    awda_keyring_t kr = ring();
    char *old = awda_seal(&kr, "old", 3, "ad");
    assert_int_equal(awda_keyring_add(&kr), 0);
    char *fresh = awda_seal(&kr, "new", 3, "ad");
    assert_int_equal(awda_sealed_version(fresh), 2);
    char *o = awda_unseal(&kr, old, "ad"), *f = awda_unseal(&kr, fresh, "ad");
    assert_string_equal(o, "old");
    assert_string_equal(f, "new");
    free(o);
    free(f);
    free(old);
    free(fresh);
}

static void test_key_file_round_trip(void **state)
{
    (void)state;
    char path[] = "/tmp/awda-key-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    awda_keyring_t kr = ring();
    assert_int_equal(awda_keyring_add(&kr), 0);
    assert_int_equal(awda_keyring_save(path, &kr), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    awda_keyring_t back;
    assert_int_equal(awda_keyring_load(path, &back), 0);
    assert_int_equal(back.n, 2);
    assert_memory_equal(back.k[1].key, kr.k[1].key, 32);
    FILE *f = fopen(path, "w");
    fputs("1 nothex\n", f);
    fclose(f);
    assert_int_equal(awda_keyring_load(path, &back), -1);
    unlink(path);
    assert_int_equal(awda_keyring_load(path, &back), -1);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_same_plain_text_seals_differently),
        cmocka_unit_test(test_moved_value_does_not_open),
        cmocka_unit_test(test_altered_value_does_not_open),
        cmocka_unit_test(test_other_key_does_not_open),
        cmocka_unit_test(test_rotation_keeps_old_values_readable),
        cmocka_unit_test(test_key_file_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
