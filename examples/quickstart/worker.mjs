// Polls the web server every two seconds and prints what it saw.
const url = `http://127.0.0.1:${process.env.PORT ?? 8080}/jobs`;
const timer = setInterval(async () => {
  try {
    const body = await (await fetch(url)).json();
    console.log(`worker: server has served ${body.hits} requests`);
  } catch (error) {
    console.error(`worker: ${error.message}`);
  }
}, 2000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log('worker: finishing');
});
