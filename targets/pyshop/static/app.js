// pyshop's script: shows a product; it exists to be cached by the CDN edge.
async function showProduct(id) {
  const reply = await fetch(`/products/${id}`);
  const product = await reply.json();
  document.querySelector('#product').textContent =
    `${product.name}: ${(product.price_cents / 100).toFixed(2)}`;
}
showProduct(1);
