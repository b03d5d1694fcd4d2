/* auparse-oracle.c - an independent reading of audit logs for the tests:
 * libauparse (not scwrap's scanner) finds the SECCOMP records and groups
 * events, and libaudit's tables (not libseccomp's) name their syscalls.
 *
 *   auparse-oracle [--ses ID] [--exe PATH] FILE
 * prints the name of every matching record's syscall, one a line. */
#include <config.h>

#include <auparse.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *field(auparse_state_t *au, const char *name)
{
	auparse_first_field(au);
	return auparse_find_field(au, name) ? auparse_get_field_str(au) : NULL;
}

int main(int argc, char **argv)
{
	const char *ses = NULL, *exe = NULL, *path;
	auparse_state_t *au;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--ses") == 0)
			ses = argv[i + 1];
		else if (strcmp(argv[i], "--exe") == 0)
			exe = argv[i + 1];
		else
			break;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: auparse-oracle [--ses ID] [--exe PATH] FILE\n");
		return 2;
	}
	path = argv[i];
	au = auparse_init(AUSOURCE_FILE, path);
	if (!au) {
		perror(path);
		return 1;
	}
	while (auparse_next_event(au) > 0) {
		do {
			const char *v;
			if (auparse_get_type(au) != AUDIT_SECCOMP)
				continue;
			if (ses && (!(v = field(au, "ses")) || strcmp(v, ses) != 0))
				continue;
			if (exe) {
				auparse_first_field(au);
				if (!auparse_find_field(au, "exe") ||
				    !(v = auparse_interpret_field(au)) || strcmp(v, exe) != 0)
					continue;
			}
			/* auditd 3.0.9 enriches SECCOMP records with
			 * SYSCALL=unknown-syscall(-1), which auparse would
			 * return: name the raw numbers with libaudit's tables. */
			{
				const char *arch = field(au, "arch"), *nr = field(au, "syscall");
				int machine =
				    arch ? audit_elf_to_machine((unsigned)strtoul(arch, NULL, 16))
					 : -1;
				const char *name = machine >= 0 && nr
						       ? audit_syscall_to_name(atoi(nr), machine)
						       : NULL;
				printf("%s\n", name ? name : "?");
			}
		} while (auparse_next_record(au) > 0);
	}
	auparse_destroy(au);
	return 0;
}
