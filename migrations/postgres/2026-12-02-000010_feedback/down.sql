DROP TABLE feedback_rejections;
DROP TABLE feedback_events;
