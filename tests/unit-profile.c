/* unit-profile.c - the accumulator and the profile model, without a kernel:
 * names sorted and unique, ABIs minimal, JSON as runtimes read it. */
#include <config.h>

#include <cjson/cJSON.h>
#include <seccomp.h>

#include "lib/abi.h"
#include "lib/accum.h"
#include "lib/profile.h"
#include "lib/shape.h"
#include "tap.h"

static void hit_name(struct scw_acc *acc, struct scw_exe *e, uint32_t abi, const char *name)
{
	int nr = scw_syscall_nr(abi, name);
	scw_acc_hit_any(acc, e, abi, (uint32_t)nr, 42);
}

static const char *arr_str(cJSON *arr, int i)
{
	cJSON *it = cJSON_GetArrayItem(arr, i);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

int main(void)
{
	struct scw_acc acc;
	struct scw_exe *ls, *sh;
	struct scw_profile *p;
	struct scw_unnamed *un;
	size_t n_un;
	scw_error err = {0};
	char *json;
	cJSON *root, *names, *arches;
	uint32_t native = scw_abi_native();

	tap_plan(16);
	scw_acc_init(&acc);
	ls = scw_acc_exe(&acc, "/usr/bin/ls");
	sh = scw_acc_exe(&acc, "/bin/sh");
	tap_ok(scw_acc_exe(&acc, "/usr/bin/ls") == ls, "an executable is interned by path");
	hit_name(&acc, ls, native, "write");
	hit_name(&acc, ls, native, "write");
	hit_name(&acc, ls, native, "close");
	hit_name(&acc, sh, native, "write");
	hit_name(&acc, sh, native, "execve");
	tap_is_int(acc.total, 5, "every call counted");
	tap_is_int(acc.distinct, 3, "distinct calls counted once");
	tap_is_int(ls->calls, 3, "calls per executable");
	tap_is_int(scw_exe_distinct(ls), 2, "distinct per executable");
	tap_is_int(acc.first[0][scw_syscall_nr(native, "write")].exe, 0,
		   "first executable of a call is kept");

	p = scw_shape_recorded(&acc, &un, &n_un);
	tap_is_int(n_un, 0, "every number has a name");
	json = scw_profile_to_json(p, &err);
	tap_ok(json != NULL, "profile serialises");
	root = cJSON_Parse(json);
	tap_is_str(cJSON_GetObjectItem(root, "defaultAction")->valuestring, "SCMP_ACT_ERRNO",
		   "default action denies");
	tap_is_int(cJSON_GetObjectItem(root, "defaultErrnoRet")->valueint, 1, "with EPERM");
	arches = cJSON_GetObjectItem(root, "architectures");
	tap_is_int(cJSON_GetArraySize(arches), 1, "only the ABI used is listed");
	names = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "syscalls"), 0),
				    "names");
	tap_is_int(cJSON_GetArraySize(names), 3, "three names");
	tap_is_str(arr_str(names, 0), "close", "names sorted (1)");
	tap_is_str(arr_str(names, 2), "write", "names sorted (3)");
	cJSON_Delete(root);
	free(json);
	scw_profile_free(p);

#if defined(__x86_64__)
	/* A compat call opens its ABI in the profile, and only then. */
	hit_name(&acc, sh, SCMP_ARCH_X86, "_llseek");
	p = scw_shape_recorded(&acc, &un, &n_un);
	json = scw_profile_to_json(p, &err);
	root = cJSON_Parse(json);
	arches = cJSON_GetObjectItem(root, "architectures");
	tap_is_str(arr_str(arches, 1), "SCMP_ARCH_X86", "i386 listed after a compat call");
	names = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "syscalls"), 0),
				    "names");
	tap_is_str(arr_str(names, 0), "_llseek", "its name is the i386 one");
	cJSON_Delete(root);
	free(json);
	scw_profile_free(p);
	free(un);
#else
	tap_ok(1, "# SKIP i386 compat ABI exists only on x86_64");
	tap_ok(1, "# SKIP i386 compat ABI exists only on x86_64");
#endif
	scw_acc_free(&acc);
	return tap_done();
}
