// The shop's script: fetches one product and shows it. A small static asset for the CDN edge.
async function showProduct(id) {
  const response = await fetch(`/products/${id}`);
  const target = document.querySelector('#product');
  if (!target) return;
  if (!response.ok) {
    target.textContent = `unavailable (${response.status})`;
    return;
  }
  const product = await response.json();
  target.textContent = `${product.name}: ${(product.price_cents / 100).toFixed(2)} (v${product.version})`;
}

document.addEventListener('DOMContentLoaded', () => showProduct(1));
