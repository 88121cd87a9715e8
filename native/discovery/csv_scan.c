// Native twin of the CSV fast path (issue 4, CLS-2, CLS-3, AST-11): src/engines/discovery/core.ts (the
// byte scanner of one value) and the hot part of scanner.ts (CsvScanner.process, ScanState.finishValue,
// record, person, nameShape), ported line for line so that a scan gives the same report either way.
// The JavaScript is the reference: src/engines/discovery/native.test.ts scans the accuracy corpus, the
// hard negatives and the benchmark's data with both and compares every count.
//
// What stays in JavaScript: the header row, fields longer than the buffer (incomplete fields), cells that
// need the normalising path (full-width characters next to ASCII), column set-up, custom recognizers,
// findings with offsets, inference and proposals. The native loop hands such a field back ("handoff")
// and JavaScript scans that one field, then calls in again.
//
// Reading past the end of the buffer: JavaScript gives `undefined`, which equals no byte and fails every
// comparison. Here such reads go through at() and give NONE (256), which every table maps to 0 and every
// comparison in the ported code treats as "no such byte".
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE 256u
#define MAX_TYPES 64
#define MAX_CHAIN 8
#define MAX_PENDING 65536
#define SKETCH 2048
#define INCOMPLETE (-1)

// Byte classes (core.ts).
enum { K_DIGIT = 1, K_UPPER = 2, K_LOWER = 4, K_UNDER = 8, K_SEP = 16, K_AT = 17, K_COLON = 18, K_U2 = 19, K_U3 = 20, K_U4 = 21, K_DELIM = 22, K_NL = 23, K_QUOTE = 24 };
// Character flags (cjk.ts).
enum {
  F_PROVINCE = 2, F_ADDR_ADMIN = 4, F_ADDR_STREET = 8, F_ADDR_NUMBER = 16, F_KEYWORD = 32, F_PLATE_TAIL = 64,
  F_NORM_ALWAYS = 256, F_NORM_ADJACENT = 512, F_NORM_COLON = 1024, F_NAME_DOT = 16384
};
#define NORM_FLAGS (F_NORM_ALWAYS | F_NORM_ADJACENT | F_NORM_COLON)
#define SPECIAL (F_KEYWORD | F_PROVINCE | F_NAME_DOT | NORM_FLAGS)
// Type numbers and strengths (types.ts).
enum { T_RESIDENT_ID = 0, T_USCC, T_ORG_CODE, T_MOBILE, T_LANDLINE, T_BANK_CARD, T_PASSPORT, T_HK_MACAU, T_TAIWAN, T_PLATE,
       T_EMAIL, T_IPV4, T_IPV6, T_NAME, T_ADDRESS, T_DOB, T_KW_HEALTH };
enum { STRENGTH_FORMAT = 1, STRENGTH_STRUCTURE = 2, STRENGTH_CHECKSUM = 3 };
enum { SEP_NIAN = 1, SEP_YUE = 2 };
enum { COND_DOB = 1, TERM_DELIM = 1, TERM_NEWLINE = 2, TERM_EOF = 3, PRE_PLUS = 1, PRE_OPEN = 2, LANDLINE_BARE = 40 };
#define QUOTE 34u
// Per-column statistics blocks (scanner.ts).
enum { HITS = 0, WEAK = MAX_TYPES, CELLS = 2 * MAX_TYPES, CAND = 3 * MAX_TYPES, VALID = 4 * MAX_TYPES, CONF = 5 * MAX_TYPES, ST_SIZE = 6 * MAX_TYPES };

static uint8_t IS_ALNUM[257], IS_HEX[257], IS_LOCAL[257], JOINER[257], LETTER_RUN[21], PROVINCE[100], USCC_VALUE[257], ORG_VALUE[257];
static int8_t PERSON_SLOT[MAX_TYPES];
static const uint8_t ID_CHECK[11] = {49, 48, 88, 57, 56, 55, 54, 53, 52, 51, 50};
static const uint8_t MONTH_DAYS[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
static const int32_t DOUBLED[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
static uint8_t HASH_BYTE[257];

static void init_tables(void) {
  static int done = 0;
  if (done) return;
  done = 1;
  for (int c = 0; c < 256; c++) {
    int alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    IS_ALNUM[c] = alnum;
    IS_HEX[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    IS_LOCAL[c] = alnum || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }
  JOINER[41] = JOINER[58] = 1;
  JOINER[32] = JOINER[45] = JOINER[46] = JOINER[47] = 2;
  JOINER[0xe5] = 3;
  JOINER[0xe6] = 4;
  LETTER_RUN[3] = LETTER_RUN[4] = LETTER_RUN[9] = LETTER_RUN[18] = 1;
  static const int prov[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
  for (size_t k = 0; k < sizeof prov / sizeof prov[0]; k++) PROVINCE[prov[k]] = 1;
  const char *uscc = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (int k = 0; uscc[k]; k++) USCC_VALUE[(uint8_t)uscc[k]] = (uint8_t)(k + 1);
  for (int k = 0; k < 10; k++) ORG_VALUE[48 + k] = (uint8_t)(k + 1);
  for (int k = 0; k < 26; k++) ORG_VALUE[65 + k] = (uint8_t)(11 + k);
  for (int t = 0; t < MAX_TYPES; t++) PERSON_SLOT[t] = -1;
  PERSON_SLOT[T_RESIDENT_ID] = 0;
  PERSON_SLOT[T_PASSPORT] = 1;
  PERSON_SLOT[T_HK_MACAU] = 2;
  PERSON_SLOT[T_TAIWAN] = 3;
  for (int c = 48; c <= 57; c++) HASH_BYTE[c] = (uint8_t)c;
  for (int c = 65; c <= 90; c++) HASH_BYTE[c] = (uint8_t)c;
  for (int c = 97; c <= 122; c++) HASH_BYTE[c] = (uint8_t)(c - 32);
}

static inline int is_digit(unsigned c) { return c - 48u < 10u; }

// ---- validators (checks.ts) ----

static int is_real_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return 0;
  if (d <= 28) return 1;
  if (m == 2 && d == 29) return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  return d <= MONTH_DAYS[m];
}

static int digits_at(const uint8_t *b, int32_t s, int n) {
  int v = 0;
  for (int32_t i = s; i < s + n; i++) v = v * 10 + ((int)b[i] - 48);
  return v;
}

static int32_t id_birth_date(const uint8_t *b, int32_t s, int full, int32_t asOf) {
  int y = full ? digits_at(b, s, 4) : 1900 + digits_at(b, s, 2);
  int o = full ? 4 : 2;
  int m = digits_at(b, s + o, 2);
  int d = digits_at(b, s + o + 2, 2);
  if (y < 1800 || !is_real_date(y, m, d)) return 0;
  int32_t ymd = y * 10000 + m * 100 + d;
  return ymd > asOf ? 0 : ymd;
}

static inline int province_at(const uint8_t *b, int32_t s) {
  int p = ((int)b[s] - 48) * 10 + ((int)b[s + 1] - 48);
  return p >= 0 && p < 100 && PROVINCE[p];
}

static int region_ok(const uint8_t *b, int32_t s) {
  if (province_at(b, s)) return 1;
  return b[s] == 57 && province_at(b, s + 1);
}

static int32_t date8(const uint8_t *b, int32_t s, int32_t asOf) {
  int y = ((int)b[s] - 48) * 1000 + ((int)b[s + 1] - 48) * 100 + ((int)b[s + 2] - 48) * 10 + ((int)b[s + 3] - 48);
  int m = ((int)b[s + 4] - 48) * 10 + ((int)b[s + 5] - 48);
  int d = ((int)b[s + 6] - 48) * 10 + ((int)b[s + 7] - 48);
  if (y < 1800 || m < 1 || m > 12 || d < 1 || (d > 28 && !is_real_date(y, m, d))) return 0;
  int32_t ymd = y * 10000 + m * 100 + d;
  return ymd > asOf ? 0 : ymd;
}

static int resident_id18(const uint8_t *b, int32_t s, int32_t asOf) {
  static const int W[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int k = 0; k < 17; k++) sum += W[k] * ((int)b[s + k] - 48);
  unsigned c = b[s + 17] == 120 ? 88u : b[s + 17];
  // The digits were checked by the caller; a negative sum cannot occur, but keep the index in range.
  int r = sum % 11;
  if (r < 0 || ID_CHECK[r] != c) return 0;
  return region_ok(b, s) && date8(b, s + 6, asOf) != 0;
}

static int resident_id_shape(const uint8_t *b, int32_t s, int32_t asOf) { return region_ok(b, s) && date8(b, s + 6, asOf) != 0; }

static int resident_id15(const uint8_t *b, int32_t s, int32_t asOf) {
  return province_at(b, s) && id_birth_date(b, s + 6, 0, asOf) != 0;
}

static int luhn(const uint8_t *b, int32_t s, int32_t e) {
  int sum = 0;
  int32_t i = e - 1;
  for (; i > s; i -= 2) sum += ((int)b[i] - 48) + DOUBLED[b[i - 1] - 48];
  if (i == s) sum += (int)b[s] - 48;
  return sum % 10 == 0;
}

enum { CARD_NONE = 0, CARD_UNIONPAY = 1, CARD_OTHER = 2 };

static int card_scheme(const uint8_t *b, int32_t s, int32_t len) {
  int d1 = (int)b[s] - 48;
  int d2 = (int)b[s + 1] - 48 + d1 * 10;
  if (d2 == 62) return len >= 16 && len <= 19 ? CARD_UNIONPAY : CARD_NONE;
  if (d2 == 60) return len >= 16 && len <= 19 ? CARD_OTHER : CARD_NONE;
  if (d1 == 4) return len == 16 || len == 19 || len == 13 ? CARD_OTHER : CARD_NONE;
  if (d2 >= 51 && d2 <= 55) return len == 16 ? CARD_OTHER : CARD_NONE;
  if (d2 == 22 || d2 == 27 || (d2 >= 23 && d2 <= 26)) {
    int d4 = digits_at(b, s, 4);
    return len == 16 && d4 >= 2221 && d4 <= 2720 ? CARD_OTHER : CARD_NONE;
  }
  if (d2 == 35) {
    int d4 = digits_at(b, s, 4);
    return len >= 16 && len <= 19 && d4 >= 3528 && d4 <= 3589 ? CARD_OTHER : CARD_NONE;
  }
  return CARD_NONE;
}

static inline int mobile11(const uint8_t *b, int32_t s) { return b[s] == 49 && b[s + 1] >= 51 && b[s + 1] <= 57; }

static int area_code_length(const uint8_t *b, int32_t s) {
  if (b[s] != 48) return 0;
  unsigned d = b[s + 1];
  if (d == 49) return b[s + 2] == 48 ? 3 : 0;
  if (d == 50) return 3;
  if (d >= 51 && d <= 57) return 4;
  return 0;
}

static inline int local_number_ok(const uint8_t *b, int32_t s, int32_t len) { return (len == 7 || len == 8) && b[s] >= 50; }

static int landline_digits(const uint8_t *b, int32_t s, int32_t len) {
  if (len == 10 && (b[s] == 52 || b[s] == 56) && b[s + 1] == 48 && b[s + 2] == 48) return 1;
  int a = area_code_length(b, s);
  return a != 0 && local_number_ok(b, s + a, len - a);
}

static int org_code_bytes(const uint8_t *b, int32_t s, int32_t c) {
  static const int W[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int k = 0; k < 8; k++) {
    int v = (int)ORG_VALUE[b[s + k]] - 1;
    if (v < 0) return 0;
    sum += W[k] * v;
  }
  int r = 11 - sum % 11;
  unsigned want = r == 10 ? 88u : r == 11 ? 48u : (unsigned)(48 + r);
  return b[c] == want;
}

static int uscc_bytes(const uint8_t *b, int32_t s) {
  static const int W[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  unsigned c0 = b[s];
  if (!((c0 >= 49 && c0 <= 57) || c0 == 65 || c0 == 78 || c0 == 89)) return 0;
  if (b[s + 1] < 49 || b[s + 1] > 57) return 0;
  int p = ((int)b[s + 2] - 48) * 10 + ((int)b[s + 3] - 48);
  if (p != 10 && !(p >= 0 && p < 100 && PROVINCE[p])) return 0;
  int sum = 0;
  for (int k = 0; k < 17; k++) {
    int v = (int)USCC_VALUE[b[s + k]] - 1;
    if (v < 0) return 0;
    sum += W[k] * v;
  }
  int v17 = (int)USCC_VALUE[b[s + 17]] - 1;
  if (v17 < 0 || v17 != (31 - sum % 31) % 31) return 0;
  return org_code_bytes(b, s + 8, s + 16);
}

// ---- distinct counts (hll.ts) ----

static uint32_t hash_identifier(const uint8_t *b, int32_t s, int32_t e) {
  uint32_t h = 0x811c9dc5u, w = 0;
  uint32_t k = 0;
  for (int32_t i = s; i < e; i++) {
    uint32_t c = HASH_BYTE[b[i]];
    if (c == 0) continue;
    w = (w << 8) | c;
    if (++k == 4) {
      h = (h ^ w) * 0x01000193u;
      w = 0;
      k = 0;
    }
  }
  h = (h ^ w ^ (k << 29)) * 0x01000193u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static inline void sketch_add(uint8_t *regs, uint32_t hash) {
  uint32_t idx = hash >> 21;
  uint8_t rank = (uint8_t)(__builtin_clz((hash << 11) | (1u << 10)) + 1);
  if (rank > regs[idx]) regs[idx] = rank;
}

// ---- state ----

typedef struct {
  uint32_t hintMask;
  const uint16_t *info;
  double cells, nonEmpty, nameLike, addressLike, minors;
  double st[ST_SIZE];
  uint32_t stamp[MAX_TYPES];
  uint8_t *sketch[4];
} Col;

typedef struct {
  int32_t asOf, asOfYear, minConf;
  uint8_t tblCsv[257], tblQuoted[257];
  uint16_t *info[3];
  uint16_t *norm1, *kwIndex;
  uint32_t *kwPairs;
  uint8_t *surname;
  int32_t *kwOff, *kwFlat;
  int32_t kwLists, kwFlatLen;
  int32_t asciiKw[32];
  int32_t asciiKwN;

  Col **cols;
  int32_t ncols, capCols;
  uint32_t serial;
  double cellsTotal, dropped;

  // The core's state for the current value (core.ts).
  uint32_t hintMask;
  const uint16_t *curInfo;
  int32_t pn;
  uint32_t *pMeta;
  int32_t *pStart, *pEnd;
  int32_t cand[MAX_TYPES], valid[MAX_TYPES], touchedList[MAX_TYPES];
  uint8_t touched[MAX_TYPES];
  int32_t tn;
  int32_t gS[MAX_CHAIN], gE[MAX_CHAIN];
  uint8_t gSep[MAX_CHAIN], gFl[MAX_CHAIN], gPre[MAX_CHAIN];
  int32_t gn;
  uint8_t nextSep;
  uint8_t scratch[64];
  int32_t valueStart, valueEnd, quoteBytes, term, cjk, dot2, dot3, plateRun, kwEnd;
  uint32_t cellFlags;
  uint8_t quoted, needSlow, dobContext, dirty;
} S;

static inline unsigned at(const uint8_t *b, int32_t p, int32_t n) { return p < n ? b[p] : NONE; }

static void class_table(uint8_t *t, int quoted, unsigned delimiter) {
  memset(t, K_SEP, 257);
  for (int c = 48; c <= 57; c++) t[c] = K_DIGIT;
  for (int c = 65; c <= 90; c++) t[c] = K_UPPER;
  for (int c = 97; c <= 122; c++) t[c] = K_LOWER;
  t[95] = K_UNDER;
  t[64] = K_AT;
  t[58] = K_COLON;
  for (int c = 0xc2; c <= 0xdf; c++) t[c] = K_U2;
  for (int c = 0xe0; c <= 0xef; c++) t[c] = K_U3;
  for (int c = 0xf0; c <= 0xf4; c++) t[c] = K_U4;
  if (quoted) t[QUOTE] = K_QUOTE;
  else {
    t[delimiter] = K_DELIM;
    t[10] = K_NL;
  }
}

// ---- pending matches ----

static void push(S *s, int t, int32_t st, int32_t e, int conf, int strength, int flags) {
  int32_t k = s->pn;
  if (k == MAX_PENDING) {
    s->dropped++;
    return;
  }
  s->pMeta[k] = (uint32_t)t | ((uint32_t)conf << 8) | ((uint32_t)strength << 16) | ((uint32_t)flags << 24);
  s->pStart[k] = st;
  s->pEnd[k] = e;
  s->pn = k + 1;
}

static inline int hinted(S *s, int t) { return ((s->hintMask >> t) & 1u) == 1u; }
static inline int cf(S *s, int base, int t) { return hinted(s, t) ? base + ((100 - base) >> 1) : base; }

static void candidate(S *s, int t, int passed) {
  if (!s->touched[t]) {
    s->touched[t] = 1;
    s->touchedList[s->tn++] = t;
  }
  s->cand[t]++;
  if (passed) s->valid[t]++;
}

static void clear_touched(S *s) {
  for (int32_t k = 0; k < s->tn; k++) {
    int t = s->touchedList[k];
    s->cand[t] = 0;
    s->valid[t] = 0;
    s->touched[t] = 0;
  }
  s->tn = 0;
}

// ---- runs and chains ----

static int may_join(const uint8_t *b, int32_t i, int32_t n) {
  unsigned c = at(b, i, n);
  unsigned j = JOINER[c];
  if (j == 0) return 0;
  if (j == 1) return 1;
  unsigned c1 = at(b, i + 1, n);
  if (j == 2) return is_digit(c1) || c1 == 88 || (c == 45 && IS_ALNUM[c1]);
  if (j == 3) return c1 == 0xb9 && at(b, i + 2, n) == 0xb4;
  return c1 == 0x9c && at(b, i + 2, n) == 0x88;
}

static int prefix(S *s, const uint8_t *b, int32_t st) {
  unsigned p1 = b[st - 1];
  if (p1 == 43) return st - 1 > s->valueStart && b[st - 2] == 40 ? PRE_PLUS | PRE_OPEN : PRE_PLUS;
  return p1 == 40 ? PRE_OPEN : 0;
}

static inline int32_t glen(S *s, int j) { return s->gE[j] - s->gS[j]; }

static int compact(S *s, const uint8_t *b, int j, int count) {
  int w = 0;
  for (int k = j; k < j + count; k++)
    for (int32_t p = s->gS[k]; p < s->gE[k]; p++) {
      if (w == 64) return w;
      s->scratch[w++] = b[p];
    }
  return w;
}

static int same_sep(S *s, int j, int count, unsigned a, unsigned c) {
  unsigned sep = s->gSep[j + 1];
  if (sep != a && sep != c) return 0;
  for (int k = j + 1; k < j + count; k++)
    if (s->gSep[k] != sep) return 0;
  return 1;
}

static int all_digit_groups(S *s, int j, int count) {
  for (int k = j; k < j + count; k++)
    if (s->gFl[k] != K_DIGIT) return 0;
  return 1;
}

static int num(const uint8_t *b, int32_t st, int32_t len) {
  int v = 0;
  for (int32_t p = st; p < st + len; p++) v = v * 10 + ((int)b[p] - 48);
  return v;
}

static int all_digits_in(const uint8_t *b, int32_t st, int32_t e) {
  for (int32_t p = st; p < e; p++)
    if (b[p] < 48 || b[p] > 57) return 0;
  return 1;
}

static int birth_date_ok(S *s, int y, int m, int d) {
  if (y < 1900 || y > s->asOfYear || !is_real_date(y, m, d)) return 0;
  return y * 10000 + m * 100 + d <= s->asOf;
}

static void push_dob(S *s, int32_t st, int32_t e) {
  int h = hinted(s, T_DOB);
  push(s, T_DOB, st, e, h ? 90 : 75, STRENGTH_STRUCTURE, h ? 0 : COND_DOB);
}

static void card(S *s, const uint8_t *b, int32_t st, int32_t e) {
  int scheme = card_scheme(b, st, e - st);
  int ok = scheme != CARD_NONE && luhn(b, st, e);
  candidate(s, T_BANK_CARD, ok);
  if (ok) push(s, T_BANK_CARD, st, e, cf(s, 90, T_BANK_CARD), STRENGTH_CHECKSUM, 0);
  else if (scheme == CARD_UNIONPAY) push(s, T_BANK_CARD, st, e, cf(s, 35, T_BANK_CARD), STRENGTH_FORMAT, 0);
}

static void document9(S *s, const uint8_t *b, int32_t st, int32_t e) {
  unsigned c0 = b[st], c1 = b[st + 1];
  int serialLetter = c1 >= 65 && c1 <= 90 && c1 != 73 && c1 != 79;
  if ((c0 == 69 && (is_digit(c1) ? all_digits_in(b, st + 1, e) : serialLetter && all_digits_in(b, st + 2, e))) ||
      (c0 == 71 && all_digits_in(b, st + 1, e))) {
    push(s, T_PASSPORT, st, e, cf(s, 75, T_PASSPORT), STRENGTH_FORMAT, 0);
  } else if ((c0 == 68 || c0 == 83 || c0 == 80) && c1 == 69 && all_digits_in(b, st + 2, e)) {
    push(s, T_PASSPORT, st, e, cf(s, 75, T_PASSPORT), STRENGTH_FORMAT, 0);
  } else if ((c0 == 67 && (is_digit(c1) ? all_digits_in(b, st + 1, e) : serialLetter && all_digits_in(b, st + 2, e))) ||
             ((c0 == 72 || c0 == 77) && all_digits_in(b, st + 1, e))) {
    push(s, T_HK_MACAU, st, e, cf(s, 75, T_HK_MACAU), STRENGTH_FORMAT, 0);
  } else if (hinted(s, T_ORG_CODE)) {
    int ok = org_code_bytes(b, st, st + 8);
    candidate(s, T_ORG_CODE, ok);
    if (ok) push(s, T_ORG_CODE, st, e, cf(s, 60, T_ORG_CODE), STRENGTH_CHECKSUM, 0);
  }
}

static int ascii_keyword(S *s, const uint8_t *b, int32_t st, int32_t len) {
  uint32_t key = 0;
  for (int32_t k = 0; k < len; k++) key = (key << 8) | b[st + k];
  for (int32_t k = 0; k < s->asciiKwN; k += 2)
    if ((uint32_t)s->asciiKw[k] == key) return s->asciiKw[k + 1];
  return -1;
}

static void standalone(S *s, const uint8_t *b, int32_t st, int32_t e, unsigned fl, int pre) {
  int32_t len = e - st;
  int32_t asOf = s->asOf;
  if (fl == K_DIGIT) {
    switch (len) {
      case 11:
        if (b[st] == 49) {
          if (b[st + 1] >= 51) push(s, T_MOBILE, st, e, cf(s, 90, T_MOBILE), STRENGTH_STRUCTURE, 0);
        } else if (b[st] == 48 && landline_digits(b, st, len))
          push(s, T_LANDLINE, st, e, cf(s, LANDLINE_BARE, T_LANDLINE), STRENGTH_STRUCTURE, 0);
        break;
      case 10:
      case 12:
        if (b[st] == 48 ? landline_digits(b, st, len) : len == 10 && landline_digits(b, st, len))
          push(s, T_LANDLINE, st, e, cf(s, b[st] == 48 ? LANDLINE_BARE : 70, T_LANDLINE), STRENGTH_STRUCTURE, 0);
        break;
      case 13:
        if (b[st] == 56 && b[st + 1] == 54 && b[st + 2] == 49 && b[st + 3] >= 51)
          push(s, T_MOBILE, st - (pre & PRE_PLUS), e, cf(s, 90, T_MOBILE), STRENGTH_STRUCTURE, 0);
        break;
      case 15: {
        int ok = resident_id15(b, st, asOf);
        candidate(s, T_RESIDENT_ID, ok);
        if (ok) push(s, T_RESIDENT_ID, st, e, cf(s, 60, T_RESIDENT_ID), STRENGTH_STRUCTURE, 0);
        else if (b[st] == 48 && b[st + 1] == 48 && b[st + 2] == 56 && b[st + 3] == 54 && b[st + 4] == 49 && b[st + 5] >= 51)
          push(s, T_MOBILE, st - (pre & PRE_PLUS), e, cf(s, 90, T_MOBILE), STRENGTH_STRUCTURE, 0);
        break;
      }
      case 16:
      case 17:
      case 19:
        card(s, b, st, e);
        break;
      case 18: {
        int ok = resident_id18(b, st, asOf) && !(hinted(s, T_USCC) && uscc_bytes(b, st));
        candidate(s, T_RESIDENT_ID, ok);
        if (ok) push(s, T_RESIDENT_ID, st, e, cf(s, 99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
        else {
          int u = uscc_bytes(b, st);
          candidate(s, T_USCC, u);
          if (u) push(s, T_USCC, st, e, cf(s, 99, T_USCC), STRENGTH_CHECKSUM, 0);
          else if (!resident_id_shape(b, st, asOf)) card(s, b, st, e);
        }
        break;
      }
      case 8: {
        int y = num(b, st, 4);
        if (birth_date_ok(s, y, num(b, st + 4, 2), num(b, st + 6, 2))) push_dob(s, st, e);
        else if (hinted(s, T_TAIWAN)) push(s, T_TAIWAN, st, e, cf(s, 60, T_TAIWAN), STRENGTH_FORMAT, 0);
        break;
      }
      case 9:
        if (hinted(s, T_ORG_CODE)) {
          int ok = org_code_bytes(b, st, st + 8);
          candidate(s, T_ORG_CODE, ok);
          if (ok) push(s, T_ORG_CODE, st, e, cf(s, 60, T_ORG_CODE), STRENGTH_CHECKSUM, 0);
        }
        break;
    }
  } else if ((fl & K_LOWER) == 0) {
    if (len == 18) {
      unsigned last = b[e - 1];
      int done = 0;
      if (last == 88 && all_digits_in(b, st, e - 1)) {
        int ok = resident_id18(b, st, asOf) && !(hinted(s, T_USCC) && uscc_bytes(b, st));
        candidate(s, T_RESIDENT_ID, ok);
        if (ok) {
          push(s, T_RESIDENT_ID, st, e, cf(s, 99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
          done = 1;
        }
      }
      if (!done) {
        int u = uscc_bytes(b, st);
        candidate(s, T_USCC, u);
        if (u) push(s, T_USCC, st, e, cf(s, 99, T_USCC), STRENGTH_CHECKSUM, 0);
      }
    } else if (len == 9) {
      document9(s, b, st, e);
    } else if ((len == 3 || len == 4) && fl == K_UPPER) {
      int t = ascii_keyword(s, b, st, len);
      if (t >= 0) push(s, t, st, e, cf(s, 70, t), STRENGTH_FORMAT, 0);
    }
  } else if (len == 18 && b[e - 1] == 120 && all_digits_in(b, st, e - 1)) {
    int ok = resident_id18(b, st, asOf);
    candidate(s, T_RESIDENT_ID, ok);
    if (ok) push(s, T_RESIDENT_ID, st, e, cf(s, 99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
  }
}

static int match_at(S *s, const uint8_t *b, int j, int gn, int32_t n) {
  int32_t st = s->gS[j];
  int32_t L0 = glen(s, j);
  int left = gn - j;
  if (left < 2) return 0;
  unsigned sep1 = s->gSep[j + 1];
  if (L0 == 8 && sep1 == 45 && glen(s, j + 1) == 1) {
    int ok = org_code_bytes(b, st, s->gS[j + 1]);
    candidate(s, T_ORG_CODE, ok);
    if (ok) {
      push(s, T_ORG_CODE, st, s->gE[j + 1], cf(s, 90, T_ORG_CODE), STRENGTH_CHECKSUM, 0);
      return 2;
    }
  }
  if (s->gFl[j] != K_DIGIT) return 0;
  if ((L0 == 2 && b[st] == 56 && b[st + 1] == 54) || (L0 == 4 && b[st] == 48 && b[st + 1] == 48 && b[st + 2] == 56 && b[st + 3] == 54)) {
    if (sep1 == 32 || sep1 == 45 || sep1 == 41) {
      int pre = s->gPre[j];
      int32_t start = st - (pre & PRE_PLUS) - ((pre & PRE_OPEN) != 0 && sep1 == 41 ? 1 : 0);
      int k = j + 1;
      int32_t Lk = glen(s, k);
      if (Lk == 11 && s->gFl[k] == K_DIGIT && mobile11(b, s->gS[k])) {
        push(s, T_MOBILE, start, s->gE[k], cf(s, 92, T_MOBILE), STRENGTH_STRUCTURE, 0);
        return 2;
      }
      if (Lk == 3 && left >= 4 && glen(s, k + 1) == 4 && glen(s, k + 2) == 4 && all_digit_groups(s, k, 3) && same_sep(s, k, 3, 32, 45)) {
        if (mobile11(b, s->gS[k])) {
          push(s, T_MOBILE, start, s->gE[k + 2], cf(s, 92, T_MOBILE), STRENGTH_STRUCTURE, 0);
          return 4;
        }
      }
      if ((Lk == 2 || Lk == 3) && left >= 3 && s->gFl[k] == K_DIGIT && s->gFl[k + 1] == K_DIGIT) {
        unsigned sep2 = s->gSep[k + 1];
        uint8_t *sc = s->scratch;
        sc[0] = 48;
        for (int32_t p = 0; p < Lk; p++) sc[1 + p] = b[s->gS[k] + p];
        if ((sep2 == 32 || sep2 == 45) && area_code_length(sc, 0) == Lk + 1 && local_number_ok(b, s->gS[k + 1], glen(s, k + 1))) {
          push(s, T_LANDLINE, start, s->gE[k + 1], cf(s, 85, T_LANDLINE), STRENGTH_STRUCTURE, 0);
          return 3;
        }
      }
    }
  }
  if (L0 == 3 && left >= 3 && glen(s, j + 1) == 4 && glen(s, j + 2) == 4 && all_digit_groups(s, j, 3) && same_sep(s, j, 3, 32, 45)) {
    if (mobile11(b, st)) {
      push(s, T_MOBILE, st, s->gE[j + 2], cf(s, 92, T_MOBILE), STRENGTH_STRUCTURE, 0);
      return 3;
    }
  }
  if (L0 == 6 && left >= 3 && (sep1 == 32 || sep1 == 45)) {
    int count = 0;
    if (glen(s, j + 1) == 8 && glen(s, j + 2) == 4) count = 3;
    else if (left >= 4 && glen(s, j + 1) == 4 && glen(s, j + 2) == 4 && glen(s, j + 3) == 4) count = 4;
    if (count > 0 && same_sep(s, j, count, 32, 45) && all_digit_groups(s, j, count - 1)) {
      int32_t last = s->gE[j + count - 1] - 1;
      unsigned lc = b[last];
      if (s->gFl[j + count - 1] == K_DIGIT || ((lc == 88 || lc == 120) && all_digits_in(b, s->gS[j + count - 1], last))) {
        compact(s, b, j, count);
        int ok = resident_id18(s->scratch, 0, s->asOf);
        candidate(s, T_RESIDENT_ID, ok);
        if (ok) {
          push(s, T_RESIDENT_ID, st, s->gE[j + count - 1], cf(s, 99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
          return count;
        }
      }
    }
  }
  if ((L0 == 4 || L0 == 6) && (sep1 == 32 || sep1 == 45)) {
    int count = 0;
    if (L0 == 4 && left >= 4 && glen(s, j + 1) == 4 && glen(s, j + 2) == 4 && glen(s, j + 3) == 4) {
      count = 4;
      if (left >= 5 && glen(s, j + 4) <= 3) count = 5;
    } else if (L0 == 6 && glen(s, j + 1) >= 10 && glen(s, j + 1) <= 13)
      count = 2;
    if (count > 0 && all_digit_groups(s, j, count) && same_sep(s, j, count, 32, 45)) {
      int len = compact(s, b, j, count);
      int scheme = card_scheme(s->scratch, 0, len);
      int ok = scheme != CARD_NONE && luhn(s->scratch, 0, len);
      candidate(s, T_BANK_CARD, ok);
      if (ok || scheme == CARD_UNIONPAY) {
        push(s, T_BANK_CARD, st, s->gE[j + count - 1], cf(s, ok ? 92 : 35, T_BANK_CARD), ok ? STRENGTH_CHECKSUM : STRENGTH_FORMAT, 0);
        return count;
      }
    }
  }
  if ((L0 == 3 || L0 == 4) && b[st] == 48 && area_code_length(b, st) == L0 && (sep1 == 45 || sep1 == 32 || sep1 == 41)) {
    if (s->gFl[j + 1] == K_DIGIT && local_number_ok(b, s->gS[j + 1], glen(s, j + 1))) {
      int pre = s->gPre[j];
      push(s, T_LANDLINE, st - ((pre & PRE_OPEN) != 0 && sep1 == 41 && (pre & PRE_PLUS) == 0 ? 1 : 0), s->gE[j + 1], cf(s, 85, T_LANDLINE),
           STRENGTH_STRUCTURE, 0);
      return 2;
    }
  }
  if (L0 == 3 && left >= 3 && (b[st] == 52 || b[st] == 56) && b[st + 1] == 48 && b[st + 2] == 48 && all_digit_groups(s, j, 3) &&
      same_sep(s, j, 3, 32, 45)) {
    int32_t l1 = glen(s, j + 1), l2 = glen(s, j + 2);
    if ((l1 == 3 && l2 == 4) || (l1 == 4 && l2 == 3)) {
      push(s, T_LANDLINE, st, s->gE[j + 2], cf(s, 80, T_LANDLINE), STRENGTH_STRUCTURE, 0);
      return 3;
    }
  }
  if (L0 == 4 && left >= 3 && all_digit_groups(s, j, 3)) {
    int32_t l1 = glen(s, j + 1), l2 = glen(s, j + 2);
    unsigned sep2 = s->gSep[j + 2];
    if (l1 <= 2 && l2 <= 2 && ((sep1 == sep2 && (sep1 == 45 || sep1 == 47)) || (sep1 == SEP_NIAN && sep2 == SEP_YUE))) {
      int y = num(b, st, 4), m = num(b, s->gS[j + 1], l1), d = num(b, s->gS[j + 2], l2);
      if (birth_date_ok(s, y, m, d)) {
        int32_t end = s->gE[j + 2];
        if (sep1 == SEP_NIAN && at(b, end, n) == 0xe6 && at(b, end + 1, n) == 0x97 && at(b, end + 2, n) == 0xa5) end += 3;
        push_dob(s, st, end);
        return 3;
      }
    }
  }
  return 0;
}

static void dotted_chain(S *s, const uint8_t *b, int gn) {
  for (int k = 1; k < gn; k++)
    if (s->gSep[k] != 46) return;
  if (!all_digit_groups(s, 0, gn)) return;
  if (gn == 4) {
    for (int k = 0; k < 4; k++) {
      int32_t l = glen(s, k);
      if (l > 3 || num(b, s->gS[k], l) > 255) return;
    }
    push(s, T_IPV4, s->gS[0], s->gE[3], cf(s, 85, T_IPV4), STRENGTH_STRUCTURE, 0);
  } else if (gn == 3 && glen(s, 0) == 4 && glen(s, 1) <= 2 && glen(s, 2) <= 2) {
    int y = num(b, s->gS[0], 4);
    if (birth_date_ok(s, y, num(b, s->gS[1], glen(s, 1)), num(b, s->gS[2], glen(s, 2)))) push_dob(s, s->gS[0], s->gE[2]);
  }
}

static void eval_chain(S *s, const uint8_t *b, int32_t n) {
  int gn = s->gn;
  s->gn = 0;
  if (gn == 1) {
    standalone(s, b, s->gS[0], s->gE[0], s->gFl[0], s->gPre[0]);
    return;
  }
  int dotted = 0;
  for (int k = 1; k < gn; k++)
    if (s->gSep[k] == 46) dotted = 1;
  if (dotted) dotted_chain(s, b, gn);
  else {
    int j = 0;
    while (j < gn) {
      int m = match_at(s, b, j, gn, n);
      if (m > 0) j += m;
      else {
        standalone(s, b, s->gS[j], s->gE[j], s->gFl[j], j == 0 ? s->gPre[0] : 0);
        j++;
      }
    }
  }
}

static int32_t ipv4_at(const uint8_t *b, int32_t p, int32_t n) {
  for (int k = 0; k < 4; k++) {
    int32_t q = p;
    int v = 0;
    while (q < n && q - p < 4 && is_digit(b[q])) v = v * 10 + ((int)b[q++] - 48);
    if (q == p || q - p > 3 || v > 255) return 0;
    p = q;
    if (k < 3) {
      if (at(b, p, n) != 46) return 0;
      p++;
    }
  }
  unsigned c = at(b, p, n);
  return IS_ALNUM[c] || (c == 46 && is_digit(at(b, p + 1, n))) ? 0 : p;
}

static int32_t ipv6(S *s, const uint8_t *b, int32_t st, int32_t n) {
  if (st > s->valueStart) {
    unsigned p0 = b[st - 1];
    if (p0 == 46 || IS_ALNUM[p0]) return 0;
    if (p0 == 58 && st - 1 > s->valueStart && (IS_HEX[b[st - 2]] || b[st - 2] == 58)) return 0;
  }
  for (int32_t p = st; p < st + 4 && p < n && b[p] != 58; p++)
    if (!IS_HEX[b[p]]) return 0;
  int32_t p = st;
  int groups = 0, dbl = 0;
  if (at(b, p, n) == 58) {
    if (at(b, p + 1, n) != 58) return 0;
    dbl = 1;
    p += 2;
  }
  for (;;) {
    int32_t q = p;
    while (q < n && q - p < 5 && IS_HEX[b[q]]) q++;
    int32_t gl = q - p;
    if (gl == 0) break;
    if (gl > 4) return 0;
    if (at(b, q, n) == 46) {
      int32_t v4 = ipv4_at(b, p, n);
      if (v4 == 0) return 0;
      groups += 2;
      p = v4;
      break;
    }
    groups++;
    p = q;
    if (groups > 8) return 0;
    if (at(b, p, n) == 58) {
      if (at(b, p + 1, n) == 58) {
        if (dbl) return 0;
        dbl = 1;
        p += 2;
        continue;
      }
      if (IS_HEX[at(b, p + 1, n)]) {
        p++;
        continue;
      }
    }
    break;
  }
  unsigned c = at(b, p, n);
  if (IS_ALNUM[c] || c == 95) return 0;
  if (dbl ? groups > 7 || groups == 0 : groups != 8) return 0;
  if (s->gn > 0) eval_chain(s, b, n);
  push(s, T_IPV6, st, p, cf(s, dbl && groups < 3 ? 60 : 90, T_IPV6), STRENGTH_STRUCTURE, 0);
  return p;
}

static int32_t email(S *s, const uint8_t *b, int32_t atPos, int32_t n) {
  int32_t lo = atPos - 64 > s->valueStart ? atPos - 64 : s->valueStart;
  int32_t ls = atPos;
  while (ls > lo && IS_LOCAL[b[ls - 1]]) ls--;
  if (ls == lo && lo > s->valueStart && IS_LOCAL[b[lo - 1]]) return 0;
  while (ls < atPos && b[ls] == 46) ls++;
  if (ls == atPos || b[atPos - 1] == 46) return 0;
  int32_t d = atPos + 1;
  int label = 0, dots = 0, alphaTld = 1;
  int32_t max = n < atPos + 254 ? n : atPos + 254;
  while (d < max) {
    unsigned c = b[d];
    if (c == 46) {
      if (label == 0 || b[d - 1] == 45 || !IS_ALNUM[at(b, d + 1, n)]) break;
      dots++;
      label = 0;
      alphaTld = 1;
      d++;
      continue;
    }
    if (IS_ALNUM[c] || c == 45) {
      if (label == 0 && c == 45) break;
      label++;
      if (c < 65) alphaTld = 0;
      d++;
      continue;
    }
    break;
  }
  if (d == max && d < n && (IS_ALNUM[b[d]] || b[d] == 46)) return 0;
  if (dots == 0 || label < 2 || !alphaTld || b[d - 1] == 45) return 0;
  unsigned cd = at(b, d, n);
  if (cd == 95 || cd == 64) return 0;
  while (s->pn > 0 && s->pStart[s->pn - 1] >= ls) s->pn--;
  push(s, T_EMAIL, ls, d, cf(s, 95, T_EMAIL), STRENGTH_STRUCTURE, 0);
  return d;
}

static inline int plate_char(unsigned c) { return (c >= 48 && c <= 57) || (c >= 65 && c <= 90 && c != 73 && c != 79); }

static int plate_tail(const uint8_t *b, int32_t q, int32_t r) {
  int32_t m = r - q;
  int digitsCount = 0;
  for (int32_t p = q; p < r; p++) {
    if (!plate_char(b[p])) return 0;
    if (is_digit(b[p])) digitsCount++;
  }
  if (m == 5) return digitsCount >= 3;
  if (m != 6) return 0;
  unsigned c0 = b[q];
  if ((c0 == 68 || c0 == 70) && all_digits_in(b, q + 2, r)) return 1;
  unsigned cl = b[r - 1];
  return (cl == 68 || cl == 70) && all_digits_in(b, q, r - 1);
}

static int32_t plate(S *s, const uint8_t *b, int32_t st, int32_t e, unsigned fl, int32_t n) {
  if (fl & K_LOWER) return 0;
  int32_t len = e - st;
  int32_t ps = st - 3;
  if (len == 6 || len == 7) {
    if (!plate_tail(b, st + 1, e)) return 0;
    push(s, T_PLATE, ps, e, cf(s, 85, T_PLATE), STRENGTH_FORMAT, 0);
    return e;
  }
  if (len == 5) {
    unsigned c = at(b, e, n);
    if (c < 0xe0 || c > 0xef || e + 2 >= n) return 0;
    uint32_t cp = ((c & 0x0f) << 12) | ((b[e + 1] & 0x3fu) << 6) | (b[e + 2] & 0x3fu);
    if ((s->curInfo[cp] & F_PLATE_TAIL) == 0) return 0;
    for (int32_t p = st + 1; p < e; p++)
      if (!plate_char(b[p])) return 0;
    push(s, T_PLATE, ps, e + 3, cf(s, 85, T_PLATE), STRENGTH_FORMAT, 0);
    return e + 3;
  }
  if (len == 1) {
    int32_t q = e;
    if (at(b, q, n) == 0xc2 && at(b, q + 1, n) == 0xb7) q += 2;
    else if (at(b, q, n) == 32 || at(b, q, n) == 45) q += 1;
    else return 0;
    int32_t r = q;
    while (r < n && r - q < 8 && IS_ALNUM[b[r]]) r++;
    int32_t m = r - q;
    unsigned cr = at(b, r, n);
    if ((m != 5 && m != 6) || cr == 95 || IS_ALNUM[cr] || !plate_tail(b, q, r)) return 0;
    push(s, T_PLATE, ps, r, cf(s, 85, T_PLATE), STRENGTH_FORMAT, 0);
    return r;
  }
  return 0;
}

static int32_t end_run(S *s, const uint8_t *b, int32_t st, int32_t e, unsigned fl, int32_t n) {
  if (fl & K_UNDER) {
    if (s->gn > 0) eval_chain(s, b, n);
    return e;
  }
  if (st == s->plateRun) {
    int32_t pe = plate(s, b, st, e, fl, n);
    if (pe > 0) {
      if (s->gn > 0) eval_chain(s, b, n);
      return pe;
    }
  }
  unsigned c = at(b, e, n);
  int32_t next = 0;
  unsigned sep = 0;
  if (JOINER[c]) {
    unsigned nx = at(b, e + 1, n);
    if (fl == K_DIGIT) {
      if (c == 32 || c == 45 || c == 47 || c == 46) {
        if (is_digit(nx) || (c == 45 && nx == 88 && e - st == 8)) {
          sep = c;
          next = e + 1;
        }
      } else if (c == 41) {
        if (s->gn == 0 && st > s->valueStart && (prefix(s, b, st) & PRE_OPEN) != 0) {
          if (is_digit(nx)) {
            sep = 41;
            next = e + 1;
          } else if (nx == 32 && is_digit(at(b, e + 2, n))) {
            sep = 41;
            next = e + 2;
          }
        }
      } else if (c == 0xe5) {
        if (nx == 0xb9 && at(b, e + 2, n) == 0xb4 && is_digit(at(b, e + 3, n))) {
          sep = SEP_NIAN;
          next = e + 3;
        }
      } else if (c == 0xe6) {
        if (nx == 0x9c && at(b, e + 2, n) == 0x88 && is_digit(at(b, e + 3, n))) {
          sep = SEP_YUE;
          next = e + 3;
        }
      }
    } else if (c == 45 && e - st == 8 && (fl & K_LOWER) == 0 && (is_digit(nx) || nx == 88)) {
      sep = 45;
      next = e + 1;
    }
    if (c == 58 && next == 0 && s->gn == 0 && e - st <= 4) {
      int32_t r = ipv6(s, b, st, n);
      if (r > 0) return r;
    }
  }
  if (next == 0 && s->gn == 0) {
    int32_t len = e - st;
    if (len < 8 ? fl == K_DIGIT || len < 3 : len > 19) return e;
    int pre = st > s->valueStart ? prefix(s, b, st) : 0;
    standalone(s, b, st, e, fl, pre);
    return e;
  }
  int pre = st > s->valueStart ? prefix(s, b, st) : 0;
  if (s->gn == MAX_CHAIN) eval_chain(s, b, n);
  int g = s->gn++;
  s->gS[g] = st;
  s->gE[g] = e;
  s->gFl[g] = (uint8_t)fl;
  s->gSep[g] = s->nextSep;
  s->gPre[g] = (uint8_t)(g == 0 ? pre : 0);
  s->nextSep = (uint8_t)sep;
  if (next != 0) return next;
  eval_chain(s, b, n);
  return e;
}

// ---- characters with a role ----

static inline uint32_t pair_bit(uint32_t cp1, uint32_t cp2) { return ((cp1 * 0x9e3779b1u) ^ (cp2 * 0x85ebca6bu)) >> 12; }

static void keyword(S *s, const uint8_t *b, int32_t i, int32_t n, uint32_t cp) {
  int32_t list = (int32_t)s->kwIndex[cp] - 1;
  if (list < 0 || list >= s->kwLists) return;
  const int32_t *w = s->kwFlat + s->kwOff[list];
  int32_t count = *w++;
  for (int32_t x = 0; x < count; x++) {
    int32_t type = w[0], restLen = w[1];
    const int32_t *rest = w + 2;
    w += 2 + restLen;
    int32_t p = i + 3;
    int ok = 1;
    for (int32_t r = 0; r < restLen; r++) {
      unsigned c0 = at(b, p, n);
      if (c0 < 0xe0 || c0 > 0xef || p + 2 >= n) {
        ok = 0;
        break;
      }
      uint32_t cp2 = ((c0 & 0x0f) << 12) | ((b[p + 1] & 0x3fu) << 6) | (b[p + 2] & 0x3fu);
      if (s->norm1[cp2] != (uint32_t)rest[r]) {
        ok = 0;
        break;
      }
      p += 3;
    }
    if (ok) {
      if (type < 0) s->dobContext = 1;
      else push(s, type, i, p, cf(s, 70, type), STRENGTH_FORMAT, 0);
      s->kwEnd = p;
      return;
    }
  }
}

static int normalises(S *s, const uint8_t *b, int32_t i, int len, uint32_t f, int32_t n) {
  int prevAlnum = i > s->valueStart && IS_ALNUM[b[i - 1]];
  if (f & F_NORM_ALWAYS) s->needSlow = 1;
  else if (f & F_NORM_ADJACENT) {
    unsigned nx = at(b, i + len, n);
    s->needSlow = prevAlnum || IS_ALNUM[nx] || nx == 43;
  } else
    s->needSlow = (uint8_t)prevAlnum;
  return s->needSlow;
}

static int special(S *s, const uint8_t *b, int32_t i, int32_t n, uint32_t f) {
  s->dirty = 1;
  if ((f & F_KEYWORD) && i >= s->kwEnd) {
    unsigned c2 = at(b, i + 3, n);
    if (c2 >= 0xe0 && c2 <= 0xef && i + 5 < n) {
      uint32_t cp = ((b[i] & 0x0fu) << 12) | ((b[i + 1] & 0x3fu) << 6) | (b[i + 2] & 0x3fu);
      uint32_t bit = pair_bit(cp, ((c2 & 0x0f) << 12) | ((b[i + 4] & 0x3fu) << 6) | (b[i + 5] & 0x3fu));
      if (s->kwPairs[bit >> 5] & (1u << (bit & 31))) keyword(s, b, i, n, cp);
    }
  }
  if (f & F_PROVINCE) {
    unsigned nx = at(b, i + 3, n);
    if (nx >= 65 && nx <= 90) s->plateRun = i + 3;
  }
  if (f & F_NAME_DOT) s->dot3++;
  return (f & NORM_FLAGS) != 0 && normalises(s, b, i, 3, f, n);
}

/** Once the cell needs the normalising path: only find the end of the field (JavaScript rescans it). */
static int32_t skip_rest(S *s, const uint8_t *b, int32_t i, int32_t n, int final, int inQuotes) {
  s->dirty = 1;
  int q = inQuotes;
  for (;;) {
    if (i >= n) {
      if (!final) return INCOMPLETE;
      s->valueEnd = n;
      s->term = TERM_EOF;
      return n;
    }
    unsigned c = b[i];
    if (q) {
      if (c == QUOTE) {
        if (i + 1 >= n && !final) return INCOMPLETE;
        s->quoteBytes++;
        if (at(b, i + 1, n) == QUOTE) {
          i += 2;
          continue;
        }
        q = 0;
      }
      i++;
      continue;
    }
    unsigned k = s->tblCsv[c];
    if (k == K_DELIM || k == K_NL) {
      s->valueEnd = k == K_NL && i > s->valueStart && b[i - 1] == 13 ? i - 1 : i;
      s->term = k == K_DELIM ? TERM_DELIM : TERM_NEWLINE;
      return i + 1;
    }
    i++;
  }
}

/** One CSV value starting at b[start] (core.ts scan() in CSV mode, a new field). */
static int32_t scan(S *s, const uint8_t *b, int32_t start, int32_t n, int final) {
  s->pn = 0;
  if (s->tn > 0) clear_touched(s);
  s->gn = 0;
  s->nextSep = 0;
  if (s->dirty) {
    s->quoteBytes = 0;
    s->dot2 = 0;
    s->dot3 = 0;
    s->needSlow = 0;
    s->dobContext = 0;
    s->plateRun = -1;
    s->kwEnd = 0;
    s->dirty = 0;
  }
  int32_t i = start;
  const uint8_t *tbl = s->tblCsv;
  int quoted = 0;
  if (i < n && b[i] == QUOTE) {
    quoted = 1;
    tbl = s->tblQuoted;
    i++;
  }
  s->quoted = (uint8_t)quoted;
  s->valueStart = i;
  const uint16_t *info = s->curInfo;
  int32_t cjk = 0;
  uint32_t flags = 0;
  int32_t result;
  for (;;) {
    if (i >= n) {
      if (!final) return INCOMPLETE;
      if (s->gn > 0) eval_chain(s, b, n);
      s->valueEnd = n;
      s->term = TERM_EOF;
      result = n;
      break;
    }
    unsigned c = b[i];
    if (is_digit(c)) {
      int32_t st = i;
      i++;
      while (i < n && is_digit(b[i])) i++;
      unsigned fl = K_DIGIT;
      while (i < n) {
        unsigned k2 = tbl[b[i]];
        if (k2 >= K_SEP) break;
        fl |= k2;
        i++;
      }
      if (i >= n && !final) return INCOMPLETE;
      if (fl == K_DIGIT && i - st < 8 && s->gn == 0 && !may_join(b, i, n)) continue;
      i = end_run(s, b, st, i, fl, n);
      continue;
    }
    unsigned k = tbl[c];
    if (k < K_SEP) {
      int32_t st = i;
      unsigned fl = k;
      i++;
      while (i < n) {
        unsigned k2 = tbl[b[i]];
        if (k2 >= K_SEP) break;
        fl |= k2;
        i++;
      }
      if (i >= n && !final) return INCOMPLETE;
      int32_t len = i - st;
      if (LETTER_RUN[len < 20 ? len : 20] == 0 && s->gn == 0 && st != s->plateRun && !may_join(b, i, n)) continue;
      i = end_run(s, b, st, i, fl, n);
      continue;
    }
    if (k == K_U3) {
      unsigned c3 = c;
      int stop = 0;
      for (;;) {
        if (i + 2 >= n) {
          if (!final) return INCOMPLETE;
          i = n;
          break;
        }
        cjk++;
        uint32_t f = info[((c3 & 0x0f) << 12) | ((b[i + 1] & 0x3fu) << 6) | (b[i + 2] & 0x3fu)];
        if (f != 0) {
          flags |= f;
          if ((f & SPECIAL) != 0 && special(s, b, i, n, f)) {
            stop = 1;
            break;
          }
        }
        i += 3;
        if (i >= n) break;
        c3 = b[i];
        if (c3 < 0xe0 || c3 > 0xef) break;
      }
      if (stop) {
        result = skip_rest(s, b, i + 3, n, final, tbl == s->tblQuoted);
        if (result == INCOMPLETE) return INCOMPLETE;
        break;
      }
      continue;
    }
    if (k == K_SEP) {
      i++;
      continue;
    }
    if (k == K_DELIM || k == K_NL) {
      s->valueEnd = k == K_NL && i > s->valueStart && b[i - 1] == 13 ? i - 1 : i;
      s->term = k == K_DELIM ? TERM_DELIM : TERM_NEWLINE;
      result = i + 1;
      break;
    }
    if (k == K_QUOTE) {
      if (i + 1 >= n && !final) return INCOMPLETE;
      s->dirty = 1;
      s->quoteBytes++;
      if (at(b, i + 1, n) == QUOTE) i += 2;
      else {
        tbl = s->tblCsv;
        i++;
      }
      continue;
    }
    if (k == K_AT) {
      int32_t r = email(s, b, i, n);
      i = r > 0 ? r : i + 1;
      continue;
    }
    if (k == K_COLON) {
      if (at(b, i + 1, n) == 58 && !(i > s->valueStart && IS_ALNUM[b[i - 1]])) {
        int32_t r = ipv6(s, b, i, n);
        if (r > 0) {
          i = r;
          continue;
        }
      }
      i++;
      continue;
    }
    if (k == K_U2) {
      if (i + 1 >= n) {
        if (!final) return INCOMPLETE;
        i = n;
        continue;
      }
      uint32_t f = info[((c & 0x1f) << 6) | (b[i + 1] & 0x3fu)];
      if (f != 0) {
        s->dirty = 1;
        flags |= f;
        if (f & F_NAME_DOT) s->dot2++;
        if ((f & NORM_FLAGS) != 0 && normalises(s, b, i, 2, f, n)) {
          result = skip_rest(s, b, i + 2, n, final, tbl == s->tblQuoted);
          if (result == INCOMPLETE) return INCOMPLETE;
          break;
        }
      }
      i += 2;
      continue;
    }
    if (k == K_U4) {
      if (i + 3 >= n) {
        if (!final) return INCOMPLETE;
        i = n;
        continue;
      }
      uint32_t cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3fu) << 12) | ((b[i + 2] & 0x3fu) << 6) | (b[i + 3] & 0x3fu);
      if ((cp >= 0x1d400 && cp <= 0x1d7ff) || (cp >= 0x1f100 && cp <= 0x1f1ff)) {
        s->dirty = 1;
        s->needSlow = 1;
        result = skip_rest(s, b, i + 4, n, final, tbl == s->tblQuoted);
        if (result == INCOMPLETE) return INCOMPLETE;
        break;
      }
      i += 4;
      continue;
    }
    i++;
  }
  s->cjk = cjk;
  s->cellFlags = flags;
  return result;
}

// ---- a finished value (scanner.ts finishValue, record, person, nameShape) ----

static int is_han(uint32_t cp) { return (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff); }

static int id_birth(S *s, const uint8_t *b, int32_t st, int32_t e) {
  int w = 0;
  for (int32_t p = st; p < e && w < 18; p++)
    if (IS_ALNUM[b[p]]) s->scratch[w++] = b[p];
  if (w == 18) return id_birth_date(s->scratch, 6, 1, s->asOf);
  if (w == 15) return id_birth_date(s->scratch, 6, 0, s->asOf);
  return 0;
}

static void record(S *s, Col *col, int t, int conf, const uint8_t *b, int32_t st, int32_t e, uint32_t serial) {
  if (conf < s->minConf) {
    col->st[WEAK + t]++;
    return;
  }
  col->st[HITS + t]++;
  col->st[CONF + t] += conf;
  if (col->stamp[t] != serial) {
    col->stamp[t] = serial;
    col->st[CELLS + t]++;
  }
  int slot = PERSON_SLOT[t];
  if (slot >= 0) {
    uint8_t *sk = col->sketch[slot];
    if (sk == NULL) sk = col->sketch[slot] = calloc(SKETCH, 1);
    if (sk != NULL) sketch_add(sk, hash_identifier(b, st, e));
    if (t == T_RESIDENT_ID) {
      int32_t birth = e - st == 18 ? id_birth_date(b, st + 6, 1, s->asOf) : id_birth(s, b, st, e);
      if (birth != 0 && birth + 140000 > s->asOf) col->minors++;
    }
  }
}

static int name_shape(S *s, const uint8_t *b, int32_t st, int32_t e, int32_t han, int32_t dots) {
  if (dots == 0 ? han > 4 : dots > 2 || han < 3 || han > 15) return 0;
  int first = 1;
  for (int32_t i = st; i < e;) {
    unsigned c = b[i];
    if (c == 34) {
      i++;
      continue;
    }
    if (c == 0xc2) {
      i += 2;
      continue;
    }
    uint32_t cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3fu) << 6) | (b[i + 2] & 0x3fu);
    i += 3;
    if (cp == 0x2022 || cp == 0x30fb) continue;
    if (!is_han(cp)) return 0;
    if (first && dots == 0 && s->surname[cp] != 1) return 0;
    first = 0;
  }
  return 1;
}

static void finish_value(S *s, Col *col, const uint8_t *b) {
  uint32_t serial = ++s->serial;
  col->cells++;
  s->cellsTotal++;
  int32_t vs = s->valueStart;
  int32_t len = s->valueEnd - vs - s->quoteBytes;
  int32_t pn = s->pn;
  if (len <= 0 && pn == 0) return;
  col->nonEmpty++;
  for (int32_t k = 0; k < s->tn; k++) {
    int t = s->touchedList[k];
    col->st[CAND + t] += s->cand[t];
    col->st[VALID + t] += s->valid[t];
  }
  if (pn > 0) {
    int dobOk = ((col->hintMask >> T_DOB) & 1u) == 1u || s->dobContext;
    for (int32_t k = 0; k < pn; k++) {
      uint32_t m = s->pMeta[k];
      if (((m >> 24) & COND_DOB) && !dobOk) continue;
      record(s, col, (int)(m & 0xff), (int)((m >> 8) & 0xff), b, s->pStart[k], s->pEnd[k], serial);
    }
  }
  int32_t cjk = s->cjk;
  if (cjk >= 2) {
    if (len == 3 * cjk + 2 * s->dot2) {
      if (cjk <= 17 && name_shape(s, b, vs, s->valueEnd, cjk - s->dot3, s->dot2 + s->dot3)) {
        col->nameLike++;
        if (((col->hintMask >> T_NAME) & 1u) == 1u) record(s, col, T_NAME, 85, b, vs, s->valueEnd, serial);
      }
    } else if (cjk >= 6 && len <= 600) {
      uint32_t f = s->cellFlags;
      if ((f & F_ADDR_ADMIN) != 0 && (f & (F_ADDR_STREET | F_ADDR_NUMBER)) != 0) {
        col->addressLike++;
        if (((col->hintMask >> T_ADDRESS) & 1u) == 1u) record(s, col, T_ADDRESS, 85, b, vs, s->valueEnd, serial);
      }
    }
  }
}

enum { IO_COL = 0, IO_ROWS = 1 };

/**
 * Data rows from b[i] (CsvScanner.process's hot loop). Returns where it stopped: n when every field was
 * done, else the start of a field JavaScript must take (incomplete, needs the normalising path, or in a
 * column not registered yet). io[IO_COL] and io[IO_ROWS] carry the column index and the row count.
 */
static int32_t run(S *s, const uint8_t *b, int32_t i, int32_t n, int final, int32_t *io) {
  int32_t colIdx = io[IO_COL];
  int32_t rows = io[IO_ROWS];
  while (i < n) {
    if (colIdx >= s->ncols) break;
    Col *col = s->cols[colIdx];
    s->hintMask = col->hintMask;
    s->curInfo = col->info;
    int32_t r = scan(s, b, i, n, final);
    if (r == INCOMPLETE || s->needSlow) break;
    i = r;
    if (s->term == TERM_DELIM) {
      if (s->pn == 0 && s->tn == 0 && s->cjk < 2) {
        col->cells++;
        s->cellsTotal++;
        if (s->valueEnd - s->valueStart > s->quoteBytes) col->nonEmpty++;
      } else
        finish_value(s, col, b);
      colIdx++;
    } else {
      if (colIdx == 0 && s->valueEnd == s->valueStart && !s->quoted) continue;
      finish_value(s, col, b);
      rows++;
      colIdx = 0;
    }
  }
  io[IO_COL] = colIdx;
  io[IO_ROWS] = rows;
  return i;
}

// ---- Node-API ----

#define CHECK(call) \
  do { \
    if ((call) != napi_ok) { \
      napi_throw_error(env, "DISCOVERY_NATIVE", "native discovery scanner: bad arguments (" #call ")"); \
      return NULL; \
    } \
  } while (0)

static void free_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  S *s = data;
  for (int32_t k = 0; k < s->ncols; k++) {
    for (int x = 0; x < 4; x++) free(s->cols[k]->sketch[x]);
    free(s->cols[k]);
  }
  free(s->cols);
  free(s->info[0]);
  free(s->info[1]);
  free(s->info[2]);
  free(s->norm1);
  free(s->kwIndex);
  free(s->kwPairs);
  free(s->surname);
  free(s->kwOff);
  free(s->kwFlat);
  free(s->pMeta);
  free(s->pStart);
  free(s->pEnd);
  free(s);
}

/** The elements of a typed array of type `want` with at least `min_len` of them (their count in *len), or NULL. */
static void *typed_data(napi_env env, napi_value v, napi_typedarray_type want, size_t min_len, size_t *len) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return NULL;
  if (type != want || length < min_len) return NULL;
  if (len != NULL) *len = length;
  return data;
}

/** A copy of a typed array of type `want` (elements of `el` bytes; exactly `expect_len` of them unless 0). */
static void *typed_copy(napi_env env, napi_value v, napi_typedarray_type want, size_t el, size_t expect_len, size_t *out_len) {
  size_t length = 0;
  void *data = typed_data(env, v, want, expect_len, &length);
  if (data == NULL || (expect_len != 0 && length != expect_len)) return NULL;
  void *copy = malloc(length > 0 ? length * el : 1);
  if (copy != NULL && length > 0) memcpy(copy, data, length * el);
  if (out_len) *out_len = length;
  return copy;
}

static S *state_of(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok) return NULL;
  return data;
}

// create(asOf, minConf, delimiter, info, infoNoKeywords, infoShapes, norm1, keywordIndex, keywordPairs, surname, kwOff, kwFlat, asciiKw)
static napi_value js_create(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 13) CHECK(napi_invalid_arg);
  init_tables();
  int32_t asOf, minConf, delimiter;
  CHECK(napi_get_value_int32(env, argv[0], &asOf));
  CHECK(napi_get_value_int32(env, argv[1], &minConf));
  CHECK(napi_get_value_int32(env, argv[2], &delimiter));
  S *s = calloc(1, sizeof(S));
  if (s == NULL) CHECK(napi_generic_failure);
  s->asOf = asOf;
  s->minConf = minConf;
  s->asOfYear = asOf / 10000;
  class_table(s->tblCsv, 0, (unsigned)delimiter & 0xff);
  class_table(s->tblQuoted, 1, (unsigned)delimiter & 0xff);
  size_t len = 0;
  s->info[0] = typed_copy(env, argv[3], napi_uint16_array, 2, 65536, NULL);
  s->info[1] = typed_copy(env, argv[4], napi_uint16_array, 2, 65536, NULL);
  s->info[2] = typed_copy(env, argv[5], napi_uint16_array, 2, 65536, NULL);
  s->norm1 = typed_copy(env, argv[6], napi_uint16_array, 2, 65536, NULL);
  s->kwIndex = typed_copy(env, argv[7], napi_uint16_array, 2, 65536, NULL);
  s->kwPairs = typed_copy(env, argv[8], napi_uint32_array, 4, 1u << 15, NULL);
  s->surname = typed_copy(env, argv[9], napi_uint8_array, 1, 65536, NULL);
  s->kwOff = typed_copy(env, argv[10], napi_int32_array, 4, 0, &len);
  s->kwLists = (int32_t)len;
  s->kwFlat = typed_copy(env, argv[11], napi_int32_array, 4, 0, &len);
  s->kwFlatLen = (int32_t)len;
  int32_t *ascii = typed_copy(env, argv[12], napi_int32_array, 4, 0, &len);
  s->pMeta = malloc(sizeof(uint32_t) * MAX_PENDING);
  s->pStart = malloc(sizeof(int32_t) * MAX_PENDING);
  s->pEnd = malloc(sizeof(int32_t) * MAX_PENDING);
  s->dirty = 1;
  s->plateRun = -1;
  if (!s->info[0] || !s->info[1] || !s->info[2] || !s->norm1 || !s->kwIndex || !s->kwPairs || !s->surname || !s->kwOff || !s->kwFlat || !ascii ||
      !s->pMeta || !s->pStart || !s->pEnd || len > 32) {
    free(ascii);
    free_state(env, s, NULL);
    CHECK(napi_invalid_arg);
  }
  memcpy(s->asciiKw, ascii, len * sizeof(int32_t));
  s->asciiKwN = (int32_t)len;
  free(ascii);
  // Every keyword list must lie inside the flat array (it is walked without further checks).
  for (int32_t k = 0; k < s->kwLists; k++) {
    int32_t o = s->kwOff[k];
    if (o < 0 || o >= s->kwFlatLen) {
      free_state(env, s, NULL);
      CHECK(napi_invalid_arg);
    }
    int32_t count = s->kwFlat[o++];
    for (int32_t x = 0; x < count; x++) {
      if (o + 1 >= s->kwFlatLen || s->kwFlat[o + 1] < 0) {
        free_state(env, s, NULL);
        CHECK(napi_invalid_arg);
      }
      o += 2 + s->kwFlat[o + 1];
      if (o > s->kwFlatLen) {
        free_state(env, s, NULL);
        CHECK(napi_invalid_arg);
      }
    }
  }
  napi_value ext;
  CHECK(napi_create_external(env, s, free_state, NULL, &ext));
  return ext;
}

// addColumn(state, hintMask, infoKind 0|1|2) → index
static napi_value js_add_column(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  S *s = state_of(env, argv[0]);
  uint32_t hint, kind;
  if (s == NULL) CHECK(napi_invalid_arg);
  CHECK(napi_get_value_uint32(env, argv[1], &hint));
  CHECK(napi_get_value_uint32(env, argv[2], &kind));
  if (kind > 2) CHECK(napi_invalid_arg);
  if (s->ncols == s->capCols) {
    int32_t cap = s->capCols == 0 ? 32 : s->capCols * 2;
    Col **grown = realloc(s->cols, sizeof(Col *) * (size_t)cap);
    if (grown == NULL) CHECK(napi_generic_failure);
    s->cols = grown;
    s->capCols = cap;
  }
  Col *col = calloc(1, sizeof(Col));
  if (col == NULL) CHECK(napi_generic_failure);
  col->hintMask = hint;
  col->info = s->info[kind];
  s->cols[s->ncols] = col;
  napi_value out;
  CHECK(napi_create_int32(env, s->ncols++, &out));
  return out;
}

// run(state, bytes Uint8Array, start, final, io Int32Array[colIdx, rows]) → where it stopped
static napi_value js_run(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  S *s = state_of(env, argv[0]);
  if (s == NULL) CHECK(napi_invalid_arg);
  size_t length = 0;
  uint8_t *data = typed_data(env, argv[1], napi_uint8_array, 0, &length);
  if (data == NULL || length > INT32_MAX) CHECK(napi_invalid_arg);
  int32_t start;
  bool final;
  CHECK(napi_get_value_int32(env, argv[2], &start));
  CHECK(napi_get_value_bool(env, argv[3], &final));
  int32_t *io = typed_data(env, argv[4], napi_int32_array, 2, NULL);
  if (io == NULL || start < 0 || (size_t)start > length) CHECK(napi_invalid_arg);
  int32_t stop = run(s, data, start, (int32_t)length, final, io);
  napi_value out;
  CHECK(napi_create_int32(env, stop, &out));
  return out;
}

// columnStats(state, index, st Float64Array(6·64) += , counts Float64Array(5) +=, sketches Uint8Array(4·2048) max=) → bit mask of sketches used
static napi_value js_column_stats(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  S *s = state_of(env, argv[0]);
  int32_t idx;
  if (s == NULL) CHECK(napi_invalid_arg);
  CHECK(napi_get_value_int32(env, argv[1], &idx));
  if (idx < 0 || idx >= s->ncols) CHECK(napi_invalid_arg);
  double *st = typed_data(env, argv[2], napi_float64_array, ST_SIZE, NULL);
  double *counts = typed_data(env, argv[3], napi_float64_array, 5, NULL);
  uint8_t *sk = typed_data(env, argv[4], napi_uint8_array, 4 * SKETCH, NULL);
  if (st == NULL || counts == NULL || sk == NULL) CHECK(napi_invalid_arg);
  Col *col = s->cols[idx];
  for (int k = 0; k < ST_SIZE; k++) st[k] += col->st[k];
  counts[0] += col->cells;
  counts[1] += col->nonEmpty;
  counts[2] += col->nameLike;
  counts[3] += col->addressLike;
  counts[4] += col->minors;
  int32_t used = 0;
  for (int x = 0; x < 4; x++) {
    if (col->sketch[x] == NULL) continue;
    used |= 1 << x;
    for (int r = 0; r < SKETCH; r++)
      if (col->sketch[x][r] > sk[x * SKETCH + r]) sk[x * SKETCH + r] = col->sketch[x][r];
  }
  napi_value out;
  CHECK(napi_create_int32(env, used, &out));
  return out;
}

// totals(state) → [cells, dropped]
static napi_value js_totals(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  S *s = state_of(env, argv[0]);
  if (s == NULL) CHECK(napi_invalid_arg);
  napi_value arr, v;
  CHECK(napi_create_array_with_length(env, 2, &arr));
  CHECK(napi_create_double(env, s->cellsTotal, &v));
  CHECK(napi_set_element(env, arr, 0, v));
  CHECK(napi_create_double(env, s->dropped, &v));
  CHECK(napi_set_element(env, arr, 1, v));
  return arr;
}

NAPI_MODULE_INIT() {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {{"create", js_create}, {"addColumn", js_add_column}, {"run", js_run}, {"columnStats", js_column_stats}, {"totals", js_totals}};
  for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
    napi_value f;
    if (napi_create_function(env, fns[k].name, NAPI_AUTO_LENGTH, fns[k].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[k].name, f) != napi_ok) return NULL;
  }
  return exports;
}
