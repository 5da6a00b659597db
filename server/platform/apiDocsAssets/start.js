// Starts Swagger UI on /api/docs (a file, not an inline script, so the page's
// CSP can forbid inline scripts). No validator badge: it would call validator.swagger.io.
window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null })
