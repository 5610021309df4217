/* test_args.c — numbers from the command line: parsed whole, within bounds, and one line naming
 * the command and the flag otherwise. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "cli/args.h"

/* what f(arg) writes to stderr (at most n - 1 bytes), through a file in the scratch directory */
static void capture_stderr(void (*f)(void *), void *arg, char *out, size_t n) {
    const char *path = test_tmp_path("stderr.txt");
    fflush(stderr);
    int saved = dup(2), fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    dup2(fd, 2);
    close(fd);
    f(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    size_t len;
    unsigned char *text = test_read_bytes(path, &len);
    if (len >= n) len = n - 1;
    memcpy(out, text, len);
    out[len] = '\0';
    free(text);
}

TEST(arg_parse_takes_whole_integers_within_bounds) {
    long long v = -7;
    CHECK(arg_parse_ll("12", 0, 100, &v) == 0 && v == 12);
    CHECK(arg_parse_ll("-3", -5, 5, &v) == 0 && v == -3);
    CHECK(arg_parse_ll("0", 0, 0, &v) == 0 && v == 0);
    v = 99;
    const char *bad[] = {"x", "", " 5", "5x", "5 ", "1e3", "0x10", "1.0", "101", "-1", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK(arg_parse_ll(bad[i], 0, 100, &v) == -1);
    CHECK(v == 99); /* untouched on failure */
    CHECK(arg_parse_ll(NULL, 0, 100, &v) == -1);
    CHECK(arg_parse_ll("9223372036854775807", 0, LLONG_MAX, &v) == 0 && v == LLONG_MAX);
}

TEST(arg_parse_double_takes_finite_numbers_within_bounds) {
    double v = -1;
    CHECK(arg_parse_double("0.25", 0, 1, &v) == 0 && v == 0.25);
    CHECK(arg_parse_double("1e-3", 0, 1, &v) == 0 && v == 1e-3);
    CHECK(arg_parse_double("-2", -HUGE_VAL, HUGE_VAL, &v) == 0 && v == -2);
    v = 7;
    const char *bad[] = {"x", "", " 1", "0.5x", "1,5", "nan", "inf", "-inf", "2", "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK(arg_parse_double(bad[i], 0, 1, &v) == -1);
    CHECK(v == 7);
}

typedef struct { const char *value; int lo, hi, rc, out; } int_case;
static void call_arg_int(void *p) {
    int_case *c = p;
    c->rc = arg_int("acts", "--layer", c->value, c->lo, c->hi, &c->out);
}
static void call_arg_ll(void *p) {
    int_case *c = p;
    long long out = 0;
    c->rc = arg_ll("acts", "--step", c->value, 0, LLONG_MAX, &out);
}
static void call_arg_double(void *p) {
    int_case *c = p;
    double out = 0;
    c->rc = arg_double("x", "--rate", c->value, 0, 1, &out);
}

TEST(arg_helpers_name_the_command_and_the_flag_in_one_line) {
    char err[512];
    int_case c = {"x", 1, INT_MAX, -1, 0};
    capture_stderr(call_arg_int, &c, err, sizeof err);
    CHECK(c.rc == CLI_USAGE_ERROR && c.rc == 2);
    CHECK(strcmp(err, "grokinfo acts: --layer: expected an integer >= 1, got 'x'\n") == 0);
    c = (int_case){"30", 1, 20, -1, 0};
    capture_stderr(call_arg_int, &c, err, sizeof err);
    CHECK(strcmp(err, "grokinfo acts: --layer: expected an integer from 1 to 20, got '30'\n") == 0);
    c = (int_case){"3000000000", INT_MIN, INT_MAX, -1, 0}; /* beyond int, though a long long */
    capture_stderr(call_arg_int, &c, err, sizeof err);
    CHECK(c.rc == 2 && strcmp(err, "grokinfo acts: --layer: expected an integer, got '3000000000'\n") == 0);
    c = (int_case){"7", 1, 20, -1, 0};
    capture_stderr(call_arg_int, &c, err, sizeof err);
    CHECK(c.rc == 0 && c.out == 7 && err[0] == '\0');
    c = (int_case){.value = "-5"};
    capture_stderr(call_arg_ll, &c, err, sizeof err);
    CHECK(c.rc == 2 && strcmp(err, "grokinfo acts: --step: expected an integer >= 0, got '-5'\n") == 0);
    c = (int_case){.value = "1.5"};
    capture_stderr(call_arg_double, &c, err, sizeof err);
    CHECK(c.rc == 2 && strcmp(err, "grokinfo x: --rate: expected a number from 0 to 1, got '1.5'\n") == 0);
}
