/*
 * test_sha256: the wrapper over nettle against FIPS 180-4 test vectors,
 * padding boundaries, incremental updates and whole files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/sha256.h"

static void
digest(const void *data, size_t len, char hex[65])
{
    struct iom_sha256 c;

    iom_sha256_init(&c);
    iom_sha256_update(&c, data, len);
    iom_sha256_final(&c, hex);
}

static void
test_sha256_fips_vectors_match(void **state)
{
    static const struct { const char *in; const char *exp; } cases[] = {
        { "",
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
          "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[65];

        digest(cases[i].in, strlen(cases[i].in), got);
        assert_string_equal(got, cases[i].exp);
    }
}

static void
test_sha256_million_a_matches(void **state)
{
    char *a = malloc(1000000), got[65];
    struct iom_sha256 c;
    size_t i;

    (void)state;
    assert_non_null(a);
    memset(a, 'a', 1000000);
    digest(a, 1000000, got);
    assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67"
                             "f1809a48a497200e046d39ccc7112cd0");
    /* The same million fed in uneven pieces. */
    iom_sha256_init(&c);
    for (i = 0; i < 1000000;) {
        size_t n = 1 + i % 157;

        if (n > 1000000 - i)
            n = 1000000 - i;
        iom_sha256_update(&c, a + i, n);
        i += n;
    }
    iom_sha256_final(&c, got);
    assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67"
                             "f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Lengths around the 55/56/64-byte padding edges (hashlib digests). */
static void
test_sha256_padding_edges_match(void **state)
{
    static const struct { size_t n; const char *exp; } cases[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
              "e9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
              "590ce20f1bde7090ef7970686ec6738a" },
        { 63, "7d3e74a05d7db15bce4ad9ec0658ea98"
              "e3f06eeecf16b4c6fff2da457ddc2f34" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
              "f439851db43d0ba5997337df154668eb" },
        { 65, "635361c48bb9eab14198e76ea8ab7f1a"
              "41685d6ad62aa9146d301d4f17eb0ae0" },
        { 119, "31eba51c313a5c08226adf18d4a359cf"
              "dfd8d2e816b13f4af952f7ea6584dcfb" },
        { 120, "2f3d335432c70b580af0e8e1b3674a7c"
              "020d683aa5f73aaaedfdc55af904c21c" },
    };
    char a[128], got[65];
    size_t i;

    (void)state;
    memset(a, 'a', sizeof a);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        digest(a, cases[i].n, got);
        assert_string_equal(got, cases[i].exp);
    }
}

static void
test_sha256_byte_by_byte_equals_one_shot(void **state)
{
    unsigned char data[300];
    size_t n, i;

    (void)state;
    for (i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    for (n = 0; n <= sizeof data; n += 13) {
        struct iom_sha256 c;
        char exp[65], got[65];

        digest(data, n, exp);
        iom_sha256_init(&c);
        for (i = 0; i < n; i++)
            iom_sha256_update(&c, data + i, 1);
        iom_sha256_final(&c, got);
        assert_string_equal(got, exp);
    }
}

static void
test_sha256_file_gives_digest_and_size(void **state)
{
    char path[] = "/tmp/iom_sha_XXXXXX", got[65];
    uint64_t size = 0;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "abc", 3), 3);
    close(fd);
    assert_int_equal(iom_sha256_file(path, got, &size), IOM_OK);
    assert_string_equal(got, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(size, 3);
    unlink(path);
    assert_int_equal(iom_sha256_file(path, got, &size), IOM_EIO);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips_vectors_match),
        cmocka_unit_test(test_sha256_million_a_matches),
        cmocka_unit_test(test_sha256_padding_edges_match),
        cmocka_unit_test(test_sha256_byte_by_byte_equals_one_shot),
        cmocka_unit_test(test_sha256_file_gives_digest_and_size),
    };

    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
