/*
 * A bounded fuzz run of LLVMFuzzerTestOneInput without libFuzzer, so that gcc
 * builds (and `make check` under ASan+UBSan) run it too: every fixture, then
 * seeded mutations of them (bit flips, hostile bytes and tokens, truncation,
 * line splicing, deletion, duplication) for N inputs or S seconds.
 *
 * Usage: fuzz_driver DIR [inputs [seconds]]; FUZZ_SEED in the environment
 * replays another run. Prints "N passed, 0 failed"; a bug aborts.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FUZZ_MAX_INPUT	(256 * 1024)
#define MAX_SEEDS	256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seed {
	char *data;
	size_t len;
};

static struct seed seeds[MAX_SEEDS];
static int nseeds;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static const char *const tokens[] = {
	"BUG: KASAN: slab-use-after-free in f+0x1/0x2", "BUG: KFENCE: use-after-free read in f+0x1/0x2",
	"==================================================================", "Call Trace:",
	" <TASK>", " </TASK>", " <IRQ>", " </IRQ>", " ? f+0x1/0x2 [m]", " g+0x10/0x20 [mod xx]",
	"WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2", "---[ end trace 0000000000000000 ]---",
	"Kernel panic - not syncing: x", "---[ end Kernel panic - not syncing: x ]---",
	"------------[ cut here ]------------", "FAULT_INJECTION: forcing a failure.",
	"x: page allocation failure: order:0", "\\x0a", "\\x", ",caller=T1", ",caller=C4294967295",
	"6,1,2,-;", "CPU: 0 UID: 0 PID: 1 Comm: x Not tainted 6.12.0 #1", "CPU: 0 PID: 99999999999",
	"unreferenced object 0x1 (size 1):", "  comm \"a\", pid 1, jiffies 1", "  backtrace (crc 0):",
	"    [<ffffffff81000000>] f+0x1/0x2", " #0: x, at: f+0x1/0x2", "a/1 is trying to acquire lock:",
	"INFO: task a:1 blocked for more than 1 seconds.", "task:a state:D",
	"rcu: INFO: rcu_sched self-detected stall on CPU", "[    1.000000][    T1] ", "<4>",
	"Oops: general protection fault, probably for non-canonical address 0x1: 0000 [#1]",
	"Oops: invalid opcode: 0000 [#1]", "kernel BUG at a.c:1!", "BUG: kernel NULL pointer dereference, address: 0",
	"RIP: 0010:f+0x1/0x2", "UBSAN: shift-out-of-bounds in a.c:1:2", "refcount_t: underflow",
	"list_del corruption", "stack backtrace:", "Read of size 8 at addr ffff by task a/1",
	"Allocated by task 1:", "Freed by task 1:", "WARNING: lock held when returning to user space!",
	"KASAN: null-ptr-deref in range [0x0-0x7]", "BUG: scheduling while atomic: a/1/0x2",
	"faultsweep: step x 1 2", "faultsweep: done x 2", "faultsweep: end 1 x",
	"faultsweep: module m 0xffffffffa0000000 0xffffffffa0000000 4096", "14,1,1,-,caller=T2;",
};

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t below(size_t n)
{
	return n ? (size_t)(next() % n) : 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load(const char *dir)
{
	char *names[MAX_SEEDS];
	struct dirent *d;
	int n = 0, i;
	DIR *dp = opendir(dir);

	if (!dp) {
		perror(dir);
		exit(2);
	}
	while ((d = readdir(dp)) != NULL && n < MAX_SEEDS) {
		size_t l = strlen(d->d_name);

		if (l > 4 && !strcmp(d->d_name + l - 4, ".txt"))
			names[n++] = strdup(d->d_name);
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof(names[0]), cmp);
	for (i = 0; i < n; i++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		if (f) {
			struct seed *s = &seeds[nseeds];

			s->data = malloc(FUZZ_MAX_INPUT);
			s->len = fread(s->data, 1, FUZZ_MAX_INPUT, f);
			fclose(f);
			nseeds++;
		}
		free(names[i]);
	}
	if (!nseeds) {
		fprintf(stderr, "%s: no fixtures\n", dir);
		exit(2);
	}
}

/* The offset of the start of a random line of buf[0, len). */
static size_t line_start(const char *buf, size_t len)
{
	size_t at = below(len + 1);

	while (at > 0 && buf[at - 1] != '\n')
		at--;
	return at;
}

static size_t insert(char *buf, size_t len, size_t at, const char *s, size_t n)
{
	if (len + n > FUZZ_MAX_INPUT)
		n = FUZZ_MAX_INPUT - len;
	memmove(buf + at + n, buf + at, len - at);
	memcpy(buf + at, s, n);
	return len + n;
}

static size_t mutate(char *buf, size_t len)
{
	static const char hostile[] = "\n \\x0;,[]<>=\t\r\xff\x80#?+/";
	int k, rounds = 1 + (int)below(4);

	for (k = 0; k < rounds; k++) {
		size_t at, n;
		const struct seed *o;
		char tok[160];

		switch (below(9)) {
		case 0:	/* bit flips */
			for (n = 1 + below(8); n && len; n--)
				buf[below(len)] ^= (char)(1u << below(8));
			break;
		case 1:	/* a hostile byte */
			if (len)
				buf[below(len)] = hostile[below(sizeof(hostile) - 1)];
			break;
		case 2:	/* truncate */
			len = below(len + 1);
			break;
		case 3:	/* splice lines of another fixture in */
			o = &seeds[below((size_t)nseeds)];
			at = line_start(o->data, o->len);
			n = below(o->len - at + 1);
			len = insert(buf, len, line_start(buf, len), o->data + at, n);
			break;
		case 4:	/* delete a run of bytes from a line start */
			at = line_start(buf, len);
			n = below(len - at + 1) / (1 + below(8));
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		case 5:	/* duplicate a run */
			at = below(len + 1);
			n = below(len - at + 1) % 4096;
			if (n && len + n <= FUZZ_MAX_INPUT) {
				memmove(buf + at + n, buf + at, len - at);
				len += n;
			}
			break;
		case 6:	/* a token at a line start */
			n = (size_t)snprintf(tok, sizeof(tok), "%s\n", tokens[below(sizeof(tokens) / sizeof(tokens[0]))]);
			len = insert(buf, len, line_start(buf, len), tok, n);
			break;
		case 7:	/* the start of a token anywhere */
			snprintf(tok, sizeof(tok), "%s", tokens[below(sizeof(tokens) / sizeof(tokens[0]))]);
			n = strlen(tok);
			len = insert(buf, len, below(len + 1), tok, 1 + below(n));
			break;
		default: /* an overlong line */
			at = line_start(buf, len);
			n = 900 + below(5000);
			if (len + n <= FUZZ_MAX_INPUT) {
				memmove(buf + at + n, buf + at, len - at);
				memset(buf + at, 'A' + (int)below(3), n);
				len += n;
			}
			break;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	long inputs = argc > 2 ? atol(argv[2]) : 20000;
	double seconds = argc > 3 ? atof(argv[3]) : 15;
	const char *env = getenv("FUZZ_SEED");
	char *buf = malloc(FUZZ_MAX_INPUT);
	struct timespec t0, t;
	long done = 0;
	int i;

	if (argc < 2 || !buf) {
		fprintf(stderr, "usage: %s FIXTURE_DIR [inputs [seconds]]\n", argv[0]);
		return 2;
	}
	if (env)
		rng = strtoull(env, NULL, 0) | 1;
	load(argv[1]);
	for (i = 0; i < nseeds; i++, done++)
		LLVMFuzzerTestOneInput((const uint8_t *)seeds[i].data, seeds[i].len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (; done < inputs; done++) {
		const struct seed *s = &seeds[below((size_t)nseeds)];
		size_t len;
		char *exact;

		memcpy(buf, s->data, s->len);
		len = mutate(buf, s->len);
		/* An exactly sized buffer: ASan flags any read past the input. */
		exact = malloc(len ? len : 1);
		memcpy(exact, buf, len);
		LLVMFuzzerTestOneInput((const uint8_t *)exact, len);
		free(exact);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
			break;
	}
	printf("%ld passed, 0 failed\n", done);
	for (i = 0; i < nseeds; i++)
		free(seeds[i].data);
	free(buf);
	return 0;
}
