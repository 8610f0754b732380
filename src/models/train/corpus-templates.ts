/**
 * Prompt templates per intent with slot fillers. `{slot}` is replaced by a random filler of that
 * slot. Short, user-like phrasings so lengths match the real corpus (median ~57 chars).
 */
import type { Intent } from '../taxonomy.js';

// Data tables, one entry per line: the formatter leaves them as written.
// prettier-ignore
export const SLOTS: Readonly<Record<string, readonly string[]>> = {
  topic: ['photosynthesis', 'black holes', 'inflation', 'the French Revolution', 'vaccines', 'blockchain', 'climate change', 'the immune system', 'quantum computing', 'plate tectonics', 'the stock market', 'machine learning', 'the Roman Empire', 'DNA replication', 'renewable energy', 'supply chains', 'sleep cycles', 'compound interest', 'the water cycle', 'neural networks', 'the Cold War', 'electric cars', 'coral reefs', 'gravity', 'the internet', 'volcanoes', 'jazz music', 'the moon landing', 'antibiotics', 'cloud computing'],
  lang: ['Python', 'JavaScript', 'TypeScript', 'Go', 'Rust', 'Java', 'C++', 'SQL', 'Bash', 'Ruby', 'Kotlin', 'C#'],
  codeTask: ['reverses a linked list', 'parses a CSV file', 'validates an email address', 'merges two sorted arrays', 'finds duplicate files', 'counts word frequencies', 'implements binary search', 'retries a failed HTTP request', 'reads a JSON config', 'flattens a nested list', 'caches results with LRU', 'checks if a string is a palindrome', 'sorts users by age', 'uploads a file to S3', 'debounces a function', 'converts Celsius to Fahrenheit', 'generates a random password', 'paginates API results'],
  codeThing: ['a REST API', 'a CLI tool', 'a web scraper', 'a unit test', 'a React component', 'a database migration', 'a rate limiter', 'a login form', 'a Dockerfile', 'a cron job', 'a websocket server', 'a todo app'],
  data: ['sales data', 'survey results', 'website traffic', 'customer churn data', 'sensor readings', 'monthly expenses', 'A/B test results', 'student grades', 'server logs', 'housing prices', 'app reviews', 'inventory levels'],
  stat: ['the average', 'the median', 'outliers', 'trends', 'correlations', 'seasonality', 'the growth rate', 'anomalies', 'the distribution'],
  period: ['last quarter', 'this year', 'the past 6 months', 'last week', '2023', 'each region'],
  genre: ['short story', 'poem', 'haiku', 'limerick', 'fairy tale', 'song', 'sonnet', 'screenplay scene', 'bedtime story', 'mystery story'],
  subject: ['a lonely robot', 'a dragon who hates fire', 'the ocean at night', 'a lost cat', 'first love', 'a time traveler', 'autumn leaves', 'a haunted lighthouse', 'a city in the rain', 'an old friendship', 'a brave knight', 'space explorers'],
  doc: ['this article', 'this paper', 'the meeting notes', 'this email thread', 'the report', 'this chapter', 'the news story', 'this podcast transcript', 'the contract', 'these reviews'],
  length: ['in 3 bullet points', 'in one paragraph', 'in 50 words', 'in two sentences', 'for a busy manager', 'for a 10 year old', 'as key takeaways', 'briefly'],
  langName: ['Spanish', 'French', 'German', 'Japanese', 'Italian', 'Portuguese', 'Chinese', 'Korean', 'Arabic', 'Dutch', 'Russian', 'Hindi'],
  phrase: ['good morning', 'where is the train station', 'thank you for your help', 'I would like a coffee', 'see you tomorrow', 'how much does this cost', 'happy birthday', 'the meeting is cancelled', 'I love this city', 'please call me back'],
  feeling: ['tired', 'bored', 'stressed', 'happy', 'nervous', 'lonely', 'excited', 'curious'],
  chatTopic: ['movies', 'your favorite food', 'the weekend', 'music', 'travel', 'books', 'hobbies', 'sports', 'pets', 'the weather'],
  goal: ['a wedding', 'a product launch', 'a move to a new city', 'a marathon', 'a birthday party', 'a team offsite', 'a job search', 'a home renovation', 'a trip to Japan', 'a study schedule', 'a podcast', 'a garden'],
  span: ['in 3 months', 'this week', 'over 6 weeks', 'by Friday', 'in 30 days', 'for next year', 'on a small budget'],
  problem: ['my laptop is slow', 'my code throws a null pointer error', 'my plants keep dying', 'our website is down', 'my wifi keeps dropping', 'the team misses deadlines', 'my sink is leaking', 'sales dropped this month', 'my app crashes on startup', 'I cannot focus at work', 'the build fails on CI', 'customers complain about delivery'],
  puzzle: ['if all cats are animals and some animals are black, are some cats black', 'a bat and ball cost 1.10 and the bat costs 1 more, what does the ball cost', 'which weighs more, a kilo of feathers or a kilo of steel', 'if it rains the ground is wet; the ground is wet, did it rain', 'three boxes are all labeled wrong, how many to open', 'is the number of primes infinite'],
  claim: ['remote work is more productive', 'nuclear power is safe', 'video games cause violence', 'homework helps learning', 'AI will replace programmers', 'cities should ban cars'],
  audience: ['a beginner', 'a child', 'an expert', 'my grandmother', 'a new employee', 'high school students'],
};

// prettier-ignore
export const TEMPLATES: Readonly<Record<Intent, readonly string[]>> = {
  question_answering: ['What is {topic}?', 'How does {topic} work?', 'Can you explain {topic} to {audience}?', 'Why is {topic} important?', 'Who discovered {topic}?', 'What are the main facts about {topic}?', 'When did {topic} start?', 'Explain {topic} in simple terms', 'What causes {topic}?', 'Tell me what {topic} means', 'Quick question: what is {topic} exactly?', 'How is {topic} related to {topic}?'],
  creative_writing: ['Write a {genre} about {subject}', 'Compose a {genre} about {subject} for {audience}', 'Write a funny {genre} about {subject}', 'Can you write a {genre} about {subject}?', 'Create a sad {genre} featuring {subject}', 'I need a {genre} about {subject} with a twist ending', 'Write a short {genre} inspired by {subject}', 'Draft a {genre} where {subject} meets {subject}'],
  code_generation: ['Write a {lang} function that {codeTask}', 'Create {codeThing} in {lang}', 'How do I write code in {lang} that {codeTask}?', 'Generate a {lang} script that {codeTask}', 'Implement {codeThing} using {lang}', 'Show me {lang} code that {codeTask}', 'Build {codeThing} with {lang} and add tests', 'Write a {lang} class that {codeTask}', 'I need {lang} code that {codeTask}'],
  data_analysis: ['Analyze this {data} and find {stat}', 'What are {stat} in our {data} from {period}?', 'Find {stat} in the {data} for {period}', 'Help me analyze {data} from {period}', 'Compare {data} across {period} and show {stat}', 'Calculate {stat} of the {data}', 'Which chart best shows {stat} in {data}?', 'Look at the {data} and explain {stat}', 'Run a quick analysis of {data} to spot {stat}'],
  reasoning: ['Solve this logic puzzle: {puzzle}?', 'Think it through: {puzzle}?', 'Is this argument valid: {claim}?', 'Give me the pros and cons of the claim that {claim}', 'Evaluate the reasoning behind: {claim}', 'Reason step by step: {puzzle}?', 'What is wrong with the argument that {claim}?', 'Is it logical to believe {claim}?', 'Riddle: {puzzle}?'],
  summarization: ['Summarize {doc} {length}', 'Give me a summary of {doc}', 'Can you summarize {doc} {length}?', 'TL;DR of {doc} please', 'Condense {doc} {length}', 'What are the key points of {doc}?', 'Summarize {doc} about {topic} {length}', 'Boil {doc} down {length}', 'Recap {doc} for me'],
  translation: ['Translate "{phrase}" into {langName}', 'How do you say "{phrase}" in {langName}?', 'Translate this to {langName}: {phrase}', 'What is "{phrase}" in {langName}?', 'Please translate "{phrase}" from {langName} to {langName}', 'Convert this sentence to {langName}: {phrase}', 'Say "{phrase}" in {langName} politely', 'Translate {doc} into {langName}'],
  conversation: ['Hi, how are you today?', 'I feel {feeling}, can we chat?', "Let's talk about {chatTopic}", 'What do you think about {chatTopic}?', 'Tell me something fun about {chatTopic}', "I'm {feeling} today, any thoughts?", 'Hey! Do you like {chatTopic}?', 'Can we just chat about {chatTopic} for a bit?', 'Good evening! I am {feeling} and want to talk', 'Ask me a question about {chatTopic}'],
  task_planning: ['Help me plan {goal} {span}', 'Create a schedule for {goal} {span}', 'Make a checklist for {goal}', 'What steps do I need for {goal} {span}?', 'Plan {goal} {span} with milestones', 'Organize a timeline for {goal}', 'Break down {goal} into weekly tasks', 'Draft a project plan for {goal} {span}', 'I need a to-do list for {goal}'],
  problem_solving: ['{problem}, how do I fix it?', 'Help me solve this: {problem}', 'What should I do? {problem}', 'Troubleshoot this problem: {problem}', 'Find the root cause: {problem}', 'Suggest solutions because {problem}', 'How can I fix it when {problem}?', '{problem}. Any ideas to solve this?', 'Diagnose why {problem}'],
};

/** Context users add around the request; intent-neutral, so they lengthen prompts without leaking labels. */
// prettier-ignore
export const PREFIXES: readonly string[] = ['Hey, ', 'Please ', 'Quick one: ', "I'm new to this. ", 'For my job, ', 'For a school project, ', 'Hi there! ', 'My boss asked me this. ', 'I have a deadline tomorrow. ', 'Could you help? '];
// prettier-ignore
export const SUFFIXES: readonly string[] = [', thanks', ' please', ', keep it short', ' and keep it simple', ', I need it for a presentation tomorrow', ' - it is for my blog', ', with a few examples', '. Use plain language so my team can follow along', ' for my team at work', ', and be as specific as you can', '. I have been stuck on this for hours', ' (this is for a client meeting next week)', '. Please format it nicely', ', ideally in under five minutes of reading', '. My manager wants it by the end of the day, so be concise but complete'];
