/*
 * internal.h — what the files of the application layer share and no
 * face may use: the app struct, and helpers for validation results.
 */
#ifndef AWDA_APP_INTERNAL_H
#define AWDA_APP_INTERNAL_H
#include "app.h"
#include <pthread.h>

#define THROTTLE_SLOTS 4096

typedef struct {
    char key[80];
    int failures;
    long long window_start_ms;
} throttle_slot_t;

struct app {
    store_t *store;
    app_config_t cfg;
    pthread_mutex_t hash_lock;
    pthread_cond_t hash_cond;
    int hashing;
    pthread_mutex_t throttle_lock;
    throttle_slot_t throttle[THROTTLE_SLOTS];
};

void auth_init(app_t *app);
void auth_free(app_t *app);
int app_success(app_code_t c);

/* Sets r to APP_INVALID with errors (taking the reference) and a title. */
void app_invalid(app_result_t *r, json_t *errors, const char *title);

/* Argon2id with the application's bound on concurrent hashes. */
int app_hash_for_user(app_t *app, const char *password, char *out, size_t cap);


#endif
