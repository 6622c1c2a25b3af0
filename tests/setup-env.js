// Quiet request logs in tests (the logger reads LOG_LEVEL when first loaded).
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
