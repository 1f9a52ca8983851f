// SPDX-License-Identifier: GPL-2.0
/*
 * shim_crypto.c: the kernel crypto API for the crypto module
 * (crates/kernel/src/modules/crypto.rs and the files beside it).
 * Each transform comes with what its operations need (hash state, request,
 * IV buffer), allocated here at creation so an operation allocates nothing.
 * Buffers handed to the ciphers are kmalloc memory owned by the caller.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/rng.h>
#include <crypto/skcipher.h>
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "lunatik_rs.h"

/* shash: the descriptor is the handle, its tfm inside. */
int lk_crypto_shash_new(const char *alg, struct shash_desc **out)
{
	struct crypto_shash *tfm = crypto_alloc_shash(alg, 0, 0);
	struct shash_desc *desc;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!desc) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	desc->tfm = tfm;
	*out = desc;
	return 0;
}

void lk_crypto_shash_free(struct shash_desc *desc)
{
	crypto_free_shash(desc->tfm);
	kfree_sensitive(desc);
}

const char *lk_crypto_shash_name(struct shash_desc *desc)
{
	return crypto_shash_alg_name(desc->tfm);
}

/* Which size: 0 digest, 1 exported state, 2 descriptor context. */
unsigned int lk_crypto_shash_size(struct shash_desc *desc, int which)
{
	if (which == 0)
		return crypto_shash_digestsize(desc->tfm);
	if (which == 1)
		return crypto_shash_statesize(desc->tfm);
	return crypto_shash_descsize(desc->tfm);
}

int lk_crypto_shash_setkey(struct shash_desc *desc, const u8 *key,
			   unsigned int len)
{
	return crypto_shash_setkey(desc->tfm, key, len);
}

int lk_crypto_shash_digest(struct shash_desc *desc, const u8 *data,
			   unsigned int len, u8 *out)
{
	return crypto_shash_digest(desc, data, len, out);
}

int lk_crypto_shash_init(struct shash_desc *desc)
{
	return crypto_shash_init(desc);
}

int lk_crypto_shash_update(struct shash_desc *desc, const u8 *data,
			   unsigned int len)
{
	return crypto_shash_update(desc, data, len);
}

int lk_crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	return crypto_shash_final(desc, out);
}

int lk_crypto_shash_finup(struct shash_desc *desc, const u8 *data,
			  unsigned int len, u8 *out)
{
	return crypto_shash_finup(desc, data, len, out);
}

int lk_crypto_shash_export(struct shash_desc *desc, u8 *out)
{
	return crypto_shash_export(desc, out);
}

int lk_crypto_shash_import(struct shash_desc *desc, const u8 *in)
{
	return crypto_shash_import(desc, in);
}

/* skcipher: transform, one request and its IV buffer. */
struct lk_skcipher {
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	u8 *iv;
};

int lk_crypto_skcipher_new(const char *alg, struct lk_skcipher **out)
{
	struct lk_skcipher *h = kzalloc(sizeof(*h), GFP_KERNEL);
	int err;

	if (!h)
		return -ENOMEM;
	h->tfm = crypto_alloc_skcipher(alg, 0, 0);
	if (IS_ERR(h->tfm)) {
		err = PTR_ERR(h->tfm);
		goto err_free_handle;
	}
	err = -ENOMEM;
	h->req = skcipher_request_alloc(h->tfm, GFP_KERNEL);
	if (!h->req)
		goto err_free_tfm;
	h->iv = kzalloc(crypto_skcipher_ivsize(h->tfm) + 1, GFP_KERNEL);
	if (!h->iv)
		goto err_free_req;
	*out = h;
	return 0;

err_free_req:
	skcipher_request_free(h->req);
err_free_tfm:
	crypto_free_skcipher(h->tfm);
err_free_handle:
	kfree(h);
	return err;
}

void lk_crypto_skcipher_free(struct lk_skcipher *h)
{
	kfree_sensitive(h->iv);
	skcipher_request_free(h->req);
	crypto_free_skcipher(h->tfm);
	kfree(h);
}

const char *lk_crypto_skcipher_name(struct lk_skcipher *h)
{
	return crypto_tfm_alg_name(crypto_skcipher_tfm(h->tfm));
}

/* Which size: 0 IV, 1 block. */
unsigned int lk_crypto_skcipher_size(struct lk_skcipher *h, int which)
{
	if (which == 0)
		return crypto_skcipher_ivsize(h->tfm);
	return crypto_skcipher_blocksize(h->tfm);
}

int lk_crypto_skcipher_setkey(struct lk_skcipher *h, const u8 *key,
			      unsigned int len)
{
	return crypto_skcipher_setkey(h->tfm, key, len);
}

/*
 * Encrypts or decrypts buf in place; iv has ivsize bytes. Sleeps until an
 * asynchronous implementation is done.
 */
int lk_crypto_skcipher_crypt(struct lk_skcipher *h, bool encrypt,
			     const u8 *iv, u8 *buf, unsigned int len)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct scatterlist sg;
	int err;

	memcpy(h->iv, iv, crypto_skcipher_ivsize(h->tfm));
	sg_init_one(&sg, buf, len);
	skcipher_request_set_callback(h->req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	skcipher_request_set_crypt(h->req, &sg, &sg, len, h->iv);
	err = encrypt ? crypto_skcipher_encrypt(h->req) :
			crypto_skcipher_decrypt(h->req);
	return crypto_wait_req(err, &wait);
}

/* aead: transform, one request and its IV buffer. */
struct lk_aead {
	struct crypto_aead *tfm;
	struct aead_request *req;
	u8 *iv;
};

int lk_crypto_aead_new(const char *alg, struct lk_aead **out)
{
	struct lk_aead *h = kzalloc(sizeof(*h), GFP_KERNEL);
	int err;

	if (!h)
		return -ENOMEM;
	h->tfm = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(h->tfm)) {
		err = PTR_ERR(h->tfm);
		goto err_free_handle;
	}
	err = -ENOMEM;
	h->req = aead_request_alloc(h->tfm, GFP_KERNEL);
	if (!h->req)
		goto err_free_tfm;
	h->iv = kzalloc(crypto_aead_ivsize(h->tfm) + 1, GFP_KERNEL);
	if (!h->iv)
		goto err_free_req;
	*out = h;
	return 0;

err_free_req:
	aead_request_free(h->req);
err_free_tfm:
	crypto_free_aead(h->tfm);
err_free_handle:
	kfree(h);
	return err;
}

void lk_crypto_aead_free(struct lk_aead *h)
{
	kfree_sensitive(h->iv);
	aead_request_free(h->req);
	crypto_free_aead(h->tfm);
	kfree(h);
}

const char *lk_crypto_aead_name(struct lk_aead *h)
{
	return crypto_tfm_alg_name(crypto_aead_tfm(h->tfm));
}

/* Which size: 0 IV, 1 tag. */
unsigned int lk_crypto_aead_size(struct lk_aead *h, int which)
{
	if (which == 0)
		return crypto_aead_ivsize(h->tfm);
	return crypto_aead_authsize(h->tfm);
}

int lk_crypto_aead_setkey(struct lk_aead *h, const u8 *key, unsigned int len)
{
	return crypto_aead_setkey(h->tfm, key, len);
}

int lk_crypto_aead_setauthsize(struct lk_aead *h, unsigned int size)
{
	return crypto_aead_setauthsize(h->tfm, size);
}

/*
 * Encrypts or decrypts in place: buf holds assoclen bytes of associated data,
 * then cryptlen bytes (plaintext, or ciphertext and tag), then room for the
 * tag when encrypting. Sleeps until an asynchronous implementation is done.
 */
int lk_crypto_aead_crypt(struct lk_aead *h, bool encrypt, const u8 *iv,
			 u8 *buf, unsigned int assoclen, unsigned int cryptlen)
{
	unsigned int len = assoclen + cryptlen;
	DECLARE_CRYPTO_WAIT(wait);
	struct scatterlist sg;
	int err;

	if (encrypt)
		len += crypto_aead_authsize(h->tfm);
	memcpy(h->iv, iv, crypto_aead_ivsize(h->tfm));
	sg_init_one(&sg, buf, len);
	aead_request_set_callback(h->req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				  CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_ad(h->req, assoclen);
	aead_request_set_crypt(h->req, &sg, &sg, cryptlen, h->iv);
	err = encrypt ? crypto_aead_encrypt(h->req) :
			crypto_aead_decrypt(h->req);
	return crypto_wait_req(err, &wait);
}

/* rng: reset with no seed once allocated. */
int lk_crypto_rng_new(const char *alg, struct crypto_rng **out)
{
	struct crypto_rng *rng = crypto_alloc_rng(alg, 0, 0);
	int err;

	if (IS_ERR(rng))
		return PTR_ERR(rng);
	err = crypto_rng_reset(rng, NULL, 0);
	if (err) {
		crypto_free_rng(rng);
		return err;
	}
	*out = rng;
	return 0;
}

void lk_crypto_rng_free(struct crypto_rng *rng)
{
	crypto_free_rng(rng);
}

/* Which name: 0 algorithm, 1 driver. */
const char *lk_crypto_rng_name(struct crypto_rng *rng, int which)
{
	struct crypto_tfm *tfm = crypto_rng_tfm(rng);

	if (which == 0)
		return crypto_tfm_alg_name(tfm);
	return crypto_tfm_alg_driver_name(tfm);
}

unsigned int lk_crypto_rng_seedsize(struct crypto_rng *rng)
{
	return crypto_rng_seedsize(rng);
}

int lk_crypto_rng_generate(struct crypto_rng *rng, const u8 *seed,
			   unsigned int slen, u8 *dst, unsigned int dlen)
{
	return crypto_rng_generate(rng, seed, slen, dst, dlen);
}

int lk_crypto_rng_reset(struct crypto_rng *rng, const u8 *seed,
			unsigned int slen)
{
	return crypto_rng_reset(rng, seed, slen);
}

/* comp: the synchronous compression API (removed in 6.15). */
int lk_crypto_comp_new(const char *alg, struct crypto_comp **out)
{
	struct crypto_comp *comp = crypto_alloc_comp(alg, 0, 0);

	if (IS_ERR(comp))
		return PTR_ERR(comp);
	*out = comp;
	return 0;
}

void lk_crypto_comp_free(struct crypto_comp *comp)
{
	crypto_free_comp(comp);
}

/* dlen: the room in dst on entry, the bytes written on return. */
int lk_crypto_comp_run(struct crypto_comp *comp, bool compress, const u8 *src,
		       unsigned int slen, u8 *dst, unsigned int *dlen)
{
	if (compress)
		return crypto_comp_compress(comp, src, slen, dst, dlen);
	return crypto_comp_decompress(comp, src, slen, dst, dlen);
}
