/*
 * A bounded fuzz test of the journal reader, the cut of a record to the
 * journal's limit and the JUnit writer: random mutations of a real journal
 * must never crash any (run it under ASan+UBSan), a cut record must keep its
 * small fields, and the writer's output must always parse as XML. Built with
 * -DFS_LIBFUZZER it is a libFuzzer target instead.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "journal/jjson.h"
#include "journal/jread.h"
#include "reports/junit/junit.h"

static const char seed[] =
	"{\"type\":\"run\",\"run\":\"r1\",\"version\":\"0.1\",\"kernel\":\"6.9.0\",\"faults\":\"slab\",\"jobs\":2}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":1,\"fired\":true,"
	"\"ret\":-1,\"errno\":12,\"errno_name\":\"ENOMEM\",\"verdict\":\"PASS\",\"findings\":[],"
	"\"swallowed\":false,\"fd_leak\":false,\"pid\":42,\"t_ms\":1.250,\"ts\":1700000000000}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":2,\"fired\":true,"
	"\"ret\":-1,\"errno\":22,\"errno_name\":\"EINVAL\",\"verdict\":\"FAIL\",\"findings\":["
	"{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: a_case \\u001b[0m\"}],"
	"\"retry_ret\":-1,\"retry_errno_name\":\"ENOMEM\",\"t_ms\":3}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"b_case\",\"area\":\"net\",\"nth\":2,\"verdict\":\"FAIL\","
	"\"site\":\"kmalloc+0x2a/0x40\",\"findings\":[{\"kind\":\"kasan\",\"title\":\"KASAN: uaf\"}],"
	"\"reports\":[{\"kind\":\"kasan\",\"title\":\"KASAN: uaf\",\"guilty\":{\"func\":\"foo\",\"module\":\"\"},\"site\":\"f+0x1/0x2\","
	"\"raw\":\"BUG: KASAN\\u001b[1m \\ud83d\\ude00\\nCall Trace:\\n\"}]}\n"
	"{\"type\":\"case\",\"case\":\"a_case\",\"area\":\"fs\",\"verdict\":\"FAIL\",\"points\":2,\"steps\":2}\n"
	"{\"type\":\"case\",\"case\":\"c_case\",\"area\":\"net\",\"verdict\":\"CONF\",\"reason\":\"no\"}\n"
	"{\"type\":\"step\",\"case\":\"d_case\",\"area\":\"ipc\",\"nth\":1,\"verdict\":\"BROK\",\"reason\":\"x\"}\n"
	"{\"type\":\"case\",\"case\":\"d_case\",\"area\":\"ipc\",\"verdict\":\"BROK\",\"reason\":\"y\"}\n"
	"{\"type\":\"report\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":2,"
	"\"attribution\":\"pid\",\"kind\":\"KASAN\",\"title\":\"KASAN: slab-use-after-free Read in f\","
	"\"guilty\":\"f [planted]\",\"pid\":42,\"comm\":\"fs#2\",\"seq\":7,\"complete\":true,"
	"\"panicked\":false,\"raw\":\"BUG: KASAN: slab-use-after-free in f+0x5b/0x70 [planted]\\n"
	"Read of size 4 at addr ffff888005f3a010 by task fs#2/42\\nCall Trace:\\n <TASK>\\n"
	" dump_stack_lvl+0x5d/0x80\\n print_report+0xcf/0x630\\n kasan_report+0xb8/0xf0\\n"
	" f+0x5b/0x70 [planted]\\nAllocated by task 42:\\n kmalloc_trace+0x2a/0x40\\n"
	"Freed by task 42:\\n kfree+0x10c/0x3a0\\n\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"exec.p.3.openat\",\"area\":\"exec\",\"nth\":1,"
	"\"fired\":true,\"verdict\":\"FAIL\",\"findings\":[{\"kind\":\"user-crash\",\"title\":\"user-crash: "
	"SIGSEGV in g [p]\"}],\"invocation\":3,\"syscall\":\"openat\",\"status\":\"SIGSEGV\","
	"\"callsite\":[\"openat+0x1f (open64.c:41) [libc.so.6]\",\"g+0x12 (p.c:12) [p]\",\"main+0x3 (p.c:30) [p]\"],"
	"\"crash\":{\"pid\":9,\"signal\":\"SIGSEGV\",\"frames\":[\"g+0x19 (p.c:13) [p]\",\"main+0x3 (p.c:30) [p]\"]},"
	"\"output\":\"opening /etc/p.conf\\nretrying\\n\\u001b[31merror\\u001b[0m: out of memory\\n\"}\n";

static char xml_path[64];

/*
 * Fit each line that is a JSON object to a small limit, as the writer does
 * with a record over JOURNAL_RECORD_MAX: the result must still be JSON, and
 * its small fields (numbers, booleans, strings of at most 256 bytes other
 * than the raw texts) unchanged.
 */
static int fit_lines(const uint8_t *buf, size_t len)
{
	const char *p = (const char *)buf, *end = p + len;
	int bad = 0;

	while (p < end && !bad) {
		const char *nl = memchr(p, '\n', end - p);
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *rec = json_loadb(p, l, 0, NULL), *orig, *back;
		const char *key;
		json_t *v;
		char *out;

		p += l + 1;
		if (!json_is_object(rec)) {
			json_decref(rec);
			continue;
		}
		orig = json_deep_copy(rec);
		jcut_fit(rec, 64 + l % 512);
		out = json_dumps(rec, JSON_COMPACT);
		back = out ? json_loads(out, 0, NULL) : NULL;
		if (!back)
			bad = 1;
		json_decref(back);
		json_object_foreach(orig, key, v) {
			bool small = json_is_string(v) ? json_string_length(v) <= 256 &&
				strcmp(key, "raw") && strcmp(key, "output") && strcmp(key, "text") :
				!json_is_array(v) && !json_is_object(v);

			if (small && !json_equal(v, json_object_get(rec, key)))
				bad = 1;
		}
		if (bad)
			fprintf(stderr, "fuzz_jread: a record fitted to the limit lost a small field or is "
				"no JSON: %s\n", out ? out : "(none)");
		free(out);
		json_decref(orig);
		json_decref(rec);
	}
	return bad;
}

/* Read @buf as a journal; now and then write both reports and parse them back. */
static int one(const uint8_t *buf, size_t len, bool write_xml)
{
	struct jread_journal j = { .quiet = true };
	struct junit_opts o = { .collapse = len & 1, .max_text = 512, .max_attr = 64 };
	int bad = fit_lines(buf, len);

	if (jread_load_mem(&j, "fuzz", (const char *)buf, len) < 0)
		bad = 1;
	if (write_xml && !bad) {
		xmlDocPtr doc;

		if (junit_write(&j, xml_path, &o)) {
			bad = 1;
		} else {
			doc = xmlReadFile(xml_path, NULL, XML_PARSE_NONET);
			if (!doc) {
				fprintf(stderr, "fuzz_jread: the report does not parse as XML\n");
				bad = 1;
			}
			xmlFreeDoc(doc);
		}
	}
	jread_free(&j);
	return bad;
}

#ifdef FS_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!*xml_path)
		snprintf(xml_path, sizeof(xml_path), "/tmp/fs-fuzz-jread-%d.xml", getpid());
	one(data, size, true);
	return 0;
}
#else

static uint64_t rng;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? rng % n : 0;
}

#define CAP (64 * 1024)

static void insert(uint8_t *b, size_t *len, const void *s, size_t n)
{
	size_t at = rnd(*len + 1);

	if (*len + n > CAP)
		return;
	memmove(b + at + n, b + at, *len - at);
	memcpy(b + at, s, n);
	*len += n;
}

static void mutate(uint8_t *b, size_t *len)
{
	static const char tokens[] = "\"\\{}[],:\n\x1b\xff\xc3\xed" "u0-e.tfn";
	static const char *const chunks[] = {
		"\\u", "\\ud800", "\\udc00\\u0000", "1e999", "-0.0e-0", "99999999999999999999",
		"{\"type\":\"step\",\"case\":\"x\",\"nth\":", "\"reports\":[{\"raw\":\"",
		"\"verdict\":\"FAIL\"", "\"type\":\"case\"", "null", "true", "\xe2\x82", "\r\n",
	};
	size_t at, n, i;
	uint8_t tmp[512];

	switch (rnd(8)) {
	case 0:
		if (*len)
			b[rnd(*len)] ^= 1 << rnd(8);
		break;
	case 1:
		if (*len)
			b[rnd(*len)] = tokens[rnd(sizeof(tokens) - 1)];
		break;
	case 2:
		at = rnd(*len + 1);
		n = rnd(*len - at + 1) % 64;
		memmove(b + at, b + at + n, *len - at - n);
		*len -= n;
		break;
	case 3:
		at = rnd(*len + 1);
		n = rnd(*len - at + 1) % sizeof(tmp);
		memcpy(tmp, b + at, n);
		insert(b, len, tmp, n);
		break;
	case 4:
		*len = rnd(*len + 1);
		break;
	case 5:
		i = rnd(sizeof(chunks) / sizeof(*chunks));
		insert(b, len, chunks[i], strlen(chunks[i]));
		break;
	case 6:
		n = rnd(sizeof(tmp));
		memset(tmp, rnd(2) ? '[' : '{', n);
		insert(b, len, tmp, n);
		break;
	default:
		b[*len < CAP ? (*len)++ : 0] = rnd(256);
		break;
	}
}

/* fuzz_jread [ITERATIONS [SEED]] */
int main(int argc, char **argv)
{
	static uint8_t buf[CAP];
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000, it;
	size_t len = 0;
	int bad = 0, m;

	LIBXML_TEST_VERSION
	rng = argc > 2 ? strtoull(argv[2], NULL, 0) | 1 : 0x9e3779b97f4a7c15ull;
	snprintf(xml_path, sizeof(xml_path), "/tmp/fs-fuzz-jread-%d.xml", getpid());
	bad |= one((const uint8_t *)seed, strlen(seed), true);
	for (it = 0; it < iters && !bad; it++) {
		/* Mostly fresh mutants of the seed, sometimes one mutant mutated further. */
		if (!len || rnd(4)) {
			len = strlen(seed);
			memcpy(buf, seed, len);
		}
		for (m = 1 + rnd(8); m > 0; m--)
			mutate(buf, &len);
		bad |= one(buf, len, it % 50 == 0);
		if (bad)
			fprintf(stderr, "fuzz_jread: iteration %lu failed\n", it);
	}
	unlink(xml_path);
	xmlCleanupParser();
	printf("%lu passed, %d failed\n", it - bad, bad);
	return bad;
}
#endif
