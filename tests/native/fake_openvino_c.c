/*
 * A stand-in for libopenvino_c, for testing the engine's own binding where no OpenVINO runtime can be installed.
 * It implements the C API functions `qwenvl doctor` calls, with the documented signatures, struct layouts, memory
 * ownership (ov_free frees what the API allocates) and the variadic ov_core_compile_model, and it describes each
 * "model" by its file name with the ports of an optimum-intel Qwen2.5-VL export. Environment:
 *   FAKE_OV_VERSION  build number to report (default "2025.4.1-fake"); before 2025.1 the old enum numbering is used
 *   FAKE_OV_LOG      file that receives one line per compile: "<device> KEY=VALUE KEY=VALUE ..."
 *   FAKE_OV_STEPS    file that receives one line per language-model inference: "past=P tokens=S first_position=T,H,W"
 * A model file whose first byte is '!' fails to read, with an error message.
 * Inference is a deterministic stand-in for each graph, with the language model's KV cache kept inside the request
 * as the stateful export keeps it: its greedy token at position p is 1000 + (7p + 11) mod 5000, and it checks that
 * attention_mask covers exactly the cached tokens plus the new ones, and that every input has its element type.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int64_t rank; int64_t* dims; } ov_shape_t;
typedef struct { int64_t min; int64_t max; } ov_dimension_t;
typedef struct { ov_dimension_t rank; ov_dimension_t* dims; } ov_partial_shape_t;
typedef struct { const char* buildNumber; const char* description; } ov_version_t;
typedef struct { char** devices; size_t size; } ov_available_devices_t;

typedef struct { const char* name; int type; int rank; int64_t dims[4]; } port_t;
typedef struct { port_t inputs[8]; int n_inputs; port_t outputs[4]; int n_outputs; } model_t;
typedef struct { model_t* model; } compiled_t;
typedef struct { int type; int64_t rank; int64_t dims[8]; void* data; int owns; } tensor_t;
#define SLOTS 16
typedef struct { const model_t* model; const char* names[SLOTS]; tensor_t tensors[SLOTS]; int count; int64_t past; } request_t;
typedef struct { int unused; } core_t;

static char* last_error = NULL;

static char* copy(const char* s) { char* c = malloc(strlen(s) + 1); strcpy(c, s); return c; }
static const char* version_string(void) { const char* v = getenv("FAKE_OV_VERSION"); return v ? v : "2025.4.1-fake"; }
static int new_table(void) { int major = 0, minor = 0; sscanf(version_string(), "%d.%d", &major, &minor); return major > 2025 || (major == 2025 && minor >= 1); }
static int f32(void) { return new_table() ? 4 : 5; }
static int i32(void) { return new_table() ? 9 : 10; }
static int i64(void) { return new_table() ? 10 : 11; }
static void fail(const char* message) { free(last_error); last_error = copy(message); }

int ov_get_openvino_version(ov_version_t* v) { v->buildNumber = copy(version_string()); v->description = copy("fake OpenVINO"); return 0; }
void ov_version_free(ov_version_t* v) { free((void*)v->buildNumber); free((void*)v->description); }
const char* ov_get_last_err_msg(void) { return last_error ? copy(last_error) : NULL; }
void ov_free(const char* p) { free((void*)p); }

int ov_core_create(core_t** core) { *core = calloc(1, sizeof(core_t)); return 0; }
void ov_core_free(core_t* core) { free(core); free(last_error); last_error = NULL; }

int ov_core_get_available_devices(const core_t* core, ov_available_devices_t* d) {
    (void)core; d->size = 2; d->devices = malloc(2 * sizeof(char*)); d->devices[0] = copy("CPU"); d->devices[1] = copy("GPU.0"); return 0;
}
void ov_available_devices_free(ov_available_devices_t* d) { for (size_t i = 0; i < d->size; i++) free(d->devices[i]); free(d->devices); }

static port_t port(const char* name, int type, int rank, int64_t a, int64_t b, int64_t c) {
    port_t p = { name, type, rank, { a, b, c, 0 } }; return p;
}

int ov_core_read_model(const core_t* core, const char* path, const char* bin, model_t** model) {
    (void)core; (void)bin;
    FILE* f = fopen(path, "rb");
    if (!f) { char m[600]; snprintf(m, sizeof m, "fake: cannot open %s", path); fail(m); return -1; }
    int first = fgetc(f); fclose(f);
    if (first == '!') { fail("fake: the model file is corrupt"); return -1; }
    model_t* m = calloc(1, sizeof(model_t));
    if (strstr(path, "language_model")) {
        m->inputs[0] = port("attention_mask", i64(), 2, -1, -1, 0);
        m->inputs[1] = port("position_ids", i64(), 3, 3, -1, -1);
        m->inputs[2] = port("inputs_embeds", f32(), 3, -1, -1, 16);
        m->inputs[3] = port("beam_idx", i32(), 1, -1, 0, 0);
        m->n_inputs = 4;
        m->outputs[0] = port("logits", f32(), 3, -1, -1, 151936); m->n_outputs = 1;
    } else if (strstr(path, "merger")) {
        m->inputs[0] = port("hidden_states", f32(), 2, -1, 32, 0);
        m->inputs[1] = port("attention_mask", f32(), 3, 1, -1, -1);
        m->inputs[2] = port("window_attention_mask", f32(), 3, 1, -1, -1);
        m->inputs[3] = port("window_index", i64(), 1, -1, 0, 0);
        m->inputs[4] = port("rotary_pos_emb", f32(), 2, -1, 8, 0);
        m->n_inputs = 5;
        m->outputs[0] = port("last_hidden_state", f32(), 2, -1, 16, 0); m->n_outputs = 1;
    } else if (strstr(path, "text_embeddings")) {
        m->inputs[0] = port("input", i64(), 2, -1, -1, 0); m->n_inputs = 1;
        m->outputs[0] = port("inputs_embeds", f32(), 3, -1, -1, 16); m->n_outputs = 1;
    } else {
        m->inputs[0] = port("hidden_states", f32(), 2, -1, -1, 0); m->n_inputs = 1;
        m->outputs[0] = port("last_hidden_state", f32(), 2, -1, 32, 0); m->n_outputs = 1;
    }
    *model = m;
    return 0;
}
void ov_model_free(model_t* m) { free(m); }

int ov_core_compile_model(const core_t* core, const model_t* model, const char* device, const size_t n, compiled_t** out, ...) {
    (void)core;
    if (n % 2 != 0) { fail("fake: odd property argument count"); return -14; }
    const char* log = getenv("FAKE_OV_LOG");
    FILE* f = log ? fopen(log, "a") : NULL;
    if (f) fprintf(f, "%s", device);
    va_list args; va_start(args, out);
    for (size_t i = 0; i < n; i += 2) {
        const char* key = va_arg(args, const char*); const char* value = va_arg(args, const char*);
        if (f) fprintf(f, " %s=%s", key, value);
    }
    va_end(args);
    if (f) { fprintf(f, "\n"); fclose(f); }
    compiled_t* c = calloc(1, sizeof(compiled_t)); c->model = calloc(1, sizeof(model_t)); *c->model = *model; *out = c;
    return 0;
}
void ov_compiled_model_free(compiled_t* c) { free(c->model); free(c); }
int ov_compiled_model_create_infer_request(const compiled_t* c, request_t** request) {
    *request = calloc(1, sizeof(request_t)); (*request)->model = c->model; return 0;
}
void ov_infer_request_free(request_t* r) {
    for (int i = 0; i < r->count; i++) if (r->tensors[i].owns) free(r->tensors[i].data);
    free(r);
}

static int64_t elements(const tensor_t* t) { int64_t n = 1; for (int64_t i = 0; i < t->rank; i++) n *= t->dims[i]; return n; }

static tensor_t* slot(request_t* r, const char* name) {
    for (int i = 0; i < r->count; i++) if (strcmp(r->names[i], name) == 0) return &r->tensors[i];
    if (r->count == SLOTS) return NULL;
    r->names[r->count] = name; memset(&r->tensors[r->count], 0, sizeof(tensor_t)); return &r->tensors[r->count++];
}

int ov_tensor_create_from_host_ptr(int type, const ov_shape_t shape, void* host, tensor_t** out) {
    if (shape.rank < 0 || shape.rank > 8) { fail("fake: bad rank"); return -14; }
    tensor_t* t = calloc(1, sizeof(tensor_t)); t->type = type; t->rank = shape.rank;
    for (int64_t i = 0; i < shape.rank; i++) t->dims[i] = shape.dims[i];
    t->data = host; *out = t; return 0;
}
void ov_tensor_free(tensor_t* t) { if (t->owns) free(t->data); free(t); }

int ov_infer_request_set_tensor(request_t* r, const char* name, const tensor_t* t) {
    for (int i = 0; i < r->model->n_inputs; i++) {
        if (strcmp(r->model->inputs[i].name, name) == 0) {
            if (t->type != r->model->inputs[i].type) { char m[200]; snprintf(m, sizeof m, "fake: %s has element type %d, expected %d", name, t->type, r->model->inputs[i].type); fail(m); return -4; }
            tensor_t* s = slot(r, r->model->inputs[i].name); if (s->owns) free(s->data); *s = *t; s->owns = 0; return 0;
        }
    }
    char m[200]; snprintf(m, sizeof m, "fake: no input named %s", name); fail(m); return -5;
}

int ov_infer_request_get_tensor(request_t* r, const char* name, tensor_t** out) {
    for (int i = 0; i < r->count; i++) {
        if (strcmp(r->names[i], name) == 0) { *out = malloc(sizeof(tensor_t)); **out = r->tensors[i]; (*out)->owns = 0; return 0; }
    }
    char m[200]; snprintf(m, sizeof m, "fake: no tensor named %s", name); fail(m); return -5;
}

static tensor_t* output(request_t* r, const char* name, int type, int rank, int64_t a, int64_t b, int64_t c) {
    tensor_t* t = slot(r, name); if (t->owns) free(t->data);
    t->type = type; t->rank = rank; t->dims[0] = a; t->dims[1] = b; t->dims[2] = c; t->owns = 1;
    t->data = calloc((size_t)elements(t), 8); return t;
}

static const tensor_t* input(request_t* r, const char* name) { tensor_t* t = slot(r, name); return t && t->data ? t : NULL; }

int ov_infer_request_infer(request_t* r) {
    const model_t* m = r->model;
    for (int i = 0; i < m->n_inputs; i++) if (!input(r, m->inputs[i].name)) { char e[200]; snprintf(e, sizeof e, "fake: input %s was not set", m->inputs[i].name); fail(e); return -1; }
    if (strcmp(m->outputs[0].name, "logits") == 0) {
        const tensor_t* embeds = input(r, "inputs_embeds"); const tensor_t* mask = input(r, "attention_mask"); const tensor_t* pos = input(r, "position_ids");
        int64_t s = embeds->dims[1];
        if (mask->dims[1] != r->past + s) { char e[200]; snprintf(e, sizeof e, "fake: attention_mask has %lld entries, the cache holds %lld + %lld", (long long)mask->dims[1], (long long)r->past, (long long)s); fail(e); return -1; }
        if (pos->dims[0] != 3 || pos->dims[2] != s) { fail("fake: position_ids must be [3, 1, S]"); return -1; }
        const char* steps = getenv("FAKE_OV_STEPS");
        if (steps) {
            FILE* f = fopen(steps, "a");
            const int64_t* p = (const int64_t*)pos->data;
            if (f) { fprintf(f, "past=%lld tokens=%lld first_position=%lld,%lld,%lld\n", (long long)r->past, (long long)s, (long long)p[0], (long long)p[s], (long long)p[2 * s]); fclose(f); }
        }
        tensor_t* logits = output(r, "logits", f32(), 3, 1, s, 151936);
        for (int64_t t = 0; t < s; t++) {
            int64_t p = ((const int64_t*)pos->data)[t];
            ((float*)logits->data)[t * 151936 + 1000 + (7 * p + 11) % 5000] = 1.0f;
        }
        r->past += s;
    } else if (strcmp(m->inputs[0].name, "input") == 0) {
        const tensor_t* ids = input(r, "input");
        tensor_t* out = output(r, "inputs_embeds", f32(), 3, ids->dims[0], ids->dims[1], 16);
        for (int64_t i = 0; i < elements(out); i++) ((float*)out->data)[i] = (float)((const int64_t*)ids->data)[i / 16] * 0.001f;
    } else if (m->n_inputs == 5) {
        const tensor_t* h = input(r, "hidden_states");
        tensor_t* out = output(r, "last_hidden_state", f32(), 2, h->dims[0] / 4, 16, 0);
        for (int64_t i = 0; i < elements(out); i++) ((float*)out->data)[i] = 0.5f;
    } else {
        const tensor_t* h = input(r, "hidden_states");
        tensor_t* out = output(r, "last_hidden_state", f32(), 2, h->dims[0], 32, 0);
        for (int64_t i = 0; i < elements(out); i++) ((float*)out->data)[i] = 0.25f;
    }
    return 0;
}

int ov_tensor_get_shape(const tensor_t* t, ov_shape_t* shape) {
    shape->rank = t->rank; shape->dims = malloc(sizeof(int64_t) * 8);
    for (int64_t i = 0; i < t->rank; i++) shape->dims[i] = t->dims[i];
    return 0;
}
int ov_shape_free(ov_shape_t* shape) { free(shape->dims); shape->dims = NULL; return 0; }
int ov_tensor_get_element_type(const tensor_t* t, int* type) { *type = t->type; return 0; }
int ov_tensor_data(const tensor_t* t, void** data) { *data = t->data; return 0; }

int ov_model_inputs_size(const model_t* m, size_t* n) { *n = (size_t)m->n_inputs; return 0; }
int ov_model_outputs_size(const model_t* m, size_t* n) { *n = (size_t)m->n_outputs; return 0; }
int ov_model_const_input_by_index(const model_t* m, size_t i, port_t** p) { if ((int)i >= m->n_inputs) return -6; *p = malloc(sizeof(port_t)); **p = m->inputs[i]; return 0; }
int ov_model_const_output_by_index(const model_t* m, size_t i, port_t** p) { if ((int)i >= m->n_outputs) return -6; *p = malloc(sizeof(port_t)); **p = m->outputs[i]; return 0; }
void ov_output_const_port_free(port_t* p) { free(p); }
int ov_port_get_any_name(const port_t* p, char** name) { *name = copy(p->name); return 0; }
int ov_port_get_element_type(const port_t* p, int* type) { *type = p->type; return 0; }
int ov_port_get_partial_shape(const port_t* p, ov_partial_shape_t* s) {
    s->rank.min = s->rank.max = p->rank;
    s->dims = malloc(sizeof(ov_dimension_t) * (size_t)p->rank);
    for (int i = 0; i < p->rank; i++) {
        if (p->dims[i] < 0) { s->dims[i].min = 0; s->dims[i].max = -1; } else { s->dims[i].min = s->dims[i].max = p->dims[i]; }
    }
    return 0;
}
void ov_partial_shape_free(ov_partial_shape_t* s) { free(s->dims); s->dims = NULL; }
